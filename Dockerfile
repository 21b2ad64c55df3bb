# Production-like image for docker-compose.yml. Not built by the test suite (no Docker engine on
# the development machines); kept in step with `npm start` by hand. .dockerignore keeps the host's
# .data (secrets, demo database), .env, node_modules and .next out of it.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc prisma.config.ts ./
COPY prisma ./prisma
# Not `npm ci`: it refuses this lock file (see .ci/run). --include=dev: with NODE_ENV=production npm
# skips the devDependencies, but the postinstall (prisma generate), `next build` (typescript) and
# every command here (tsx) need them.
RUN npm install --include=dev --no-audit --no-fund
COPY . .
RUN npm run models:fetch && npx next build
EXPOSE 3000
# Not a bare `next start`: scripts/app-server.ts appends the socket's peer to X-Forwarded-For (behind
# a reverse proxy, set TRUSTED_PROXY_HOPS to the number of proxies).
CMD ["npx", "tsx", "scripts/app-server.ts", "-p", "3000"]
