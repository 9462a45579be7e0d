import type { NextConfig } from 'next';

const config: NextConfig = {
  // A separate build folder lets the npm-start smoke test build beside a developer's own.
  distDir: process.env.RETUNE_DASHBOARD_DIST ?? '.next',
  // The workspace libs ship TypeScript sources.
  transpilePackages: ['@retune/core', '@retune/api', '@retune/db'],
  // Native and gRPC modules stay plain Node requires on the server.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@prisma/client',
    'pg',
    '@temporalio/client',
    '@temporalio/common',
    '@temporalio/proto',
    '@grpc/grpc-js',
  ],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default config;
