# syntax=docker/dockerfile:1
# Build: the whole workspace, so the server bundle and the web UI are produced the same way as `npm start`.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY server server
COPY web web
RUN npm run build && npm pack -w server --pack-destination /out

# Run: only the packed server and its production dependencies.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PIGEONHOLE_SMTP=0.0.0.0:1025 \
    PIGEONHOLE_LISTEN=0.0.0.0:8025
WORKDIR /app
COPY --from=build /out/pigeonhole-*.tgz /tmp/
RUN npm install --omit=dev --no-audit --no-fund --global /tmp/pigeonhole-*.tgz && rm /tmp/pigeonhole-*.tgz
# /data, owned by the user Pigeonhole runs as, for --storage: mail kept as a Maildir across restarts
# (docs/storage.md). Off unless asked for, e.g. `docker run -v pigeonhole-mail:/data
# -e PIGEONHOLE_STORAGE=/data pigeonhole`, or uncomment the next two lines to make it the default.
RUN mkdir -p /data && chown node:node /data
# ENV PIGEONHOLE_STORAGE=/data
# VOLUME /data
USER node
# 1110 is POP3, served only when PIGEONHOLE_POP3 is set (e.g. 0.0.0.0:1110).
EXPOSE 1025 8025 1110
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8025/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["pigeonhole"]
