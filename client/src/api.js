// JSON over HTTP to this site, with the session cookie. Errors come back in the server's
// one shape, {"error": {"code", "message"}}, as an ApiError.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

// Every change (POST, PATCH, DELETE) is marked as JSON, with or without a body: the server
// takes changes only as JSON from this site.
export async function requestJson(url, { method = 'GET', body } = {}) {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    // not JSON (e.g. a proxy's error page): handled below by the status
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.error?.code ?? 'unknown', data?.error?.message ?? '');
  }
  return data;
}
