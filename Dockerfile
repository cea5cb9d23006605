# tmc-server (and tmcctl, tmc-syncer) as a container image:
#   docker build -t tmc:0.1.0 .
# Build stage: install everything, compile TypeScript and the console bundle, then drop the dev
# dependencies. Runtime stage: Node 20 on Debian slim, non-root, state under /var/lib/tmc.
FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 builds its native addon when no prebuilt one matches
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /opt/tmc
ENV NODE_ENV=production
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/manifests ./manifests
COPY --from=build /src/openapi ./openapi
RUN mkdir -p /var/lib/tmc && chown 1000:1000 /var/lib/tmc
USER 1000:1000
VOLUME /var/lib/tmc
EXPOSE 6443
ENTRYPOINT ["node", "--enable-source-maps", "dist/src/cmd/tmc-server.js"]
CMD ["--data-dir=/var/lib/tmc", "--bind-address=0.0.0.0"]
