# Kinboard: the client is built in the image; the server runs as a non-root user.
FROM node:20-bookworm-slim AS client
WORKDIR /src/client
COPY client/package.json client/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY client/ ./
# The one list of the bundled pictures (a child's, and the easy read plan's), which the build copies.
COPY server/pictures.json /src/server/pictures.json
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KINBOARD_HOST=0.0.0.0 KINBOARD_PORT=8000 KINBOARD_DATA_DIR=/data
RUN useradd --system --create-home --uid 10001 kinboard && mkdir /data && chown kinboard /data
# The runtime group of the one package list (.ci/run installs the same): Pango for
# WeasyPrint's minutes PDF, and the minutes' fonts.
COPY deploy/debian-packages.txt /tmp/debian-packages.txt
RUN packages="$(awk '{ sub(/#.*/, "") } $1 == "runtime" { print $2 }' /tmp/debian-packages.txt)" \
    && test -n "$packages" \
    && apt-get update \
    && apt-get install -y --no-install-recommends $packages \
    && rm -rf /var/lib/apt/lists/* /tmp/debian-packages.txt
WORKDIR /app
COPY pyproject.toml README.md ./
COPY server/ server/
COPY templates/ templates/
RUN pip install --no-cache-dir .
# The catalogues compiled where the package is installed (from / so that it is that one).
RUN cd / && python -m server.catalogues compile
COPY --from=client /src/client/dist client/dist
USER kinboard
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)" || exit 1
CMD ["kinboard", "serve"]
