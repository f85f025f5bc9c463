// The set-up page: the one-time code comes in the address's fragment (never sent to the
// server in a URL); copy it into the form and take it off the address bar.
const field = document.querySelector('input[name=code]');
const code = decodeURIComponent(window.location.hash.slice(1));
if (field && code) {
  field.value = code;
  history.replaceState(null, '', window.location.pathname);
}
