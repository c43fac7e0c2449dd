import { defineConfig } from 'drizzle-kit';

// DRIZZLE_OUT lets scripts/check-drift.ts regenerate into a scratch copy instead of drizzle/.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/schema/sqlite.ts',
  out: process.env.DRIZZLE_OUT ?? '../../drizzle/sqlite',
});
