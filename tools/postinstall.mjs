// Runs after every `npm install` / `npm ci`: generate the Prisma clients (offline).
import './prisma-generate.mjs';
