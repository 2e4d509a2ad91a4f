# One image for the API and the worker (glibc base: the Temporal core bridge ships no musl build).
FROM node:20-bookworm-slim AS app
ENV NODE_ENV=production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tini && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The lock file pins every version; `npm install` (not `ci`) because some registries lack a few
# of @swc/core's optional platform packages, which `npm ci` then reports as missing from the lock.
# Install scripts run only for the packages listed under "allowScripts" in package.json.
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY optimizer ./optimizer
COPY api ./api
COPY db ./db
COPY web ./web
COPY platform ./platform
COPY scripts ./scripts
RUN node --import tsx scripts/build-web.ts
USER node
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
# The compose file picks the process: scripts/api.ts or scripts/worker.ts.
CMD ["node", "--max-old-space-size=1024", "--import", "tsx", "scripts/api.ts"]
