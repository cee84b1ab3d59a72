import { defineConfig } from 'cypress';

export default defineConfig({
  e2e: {
    baseUrl: 'http://localhost:3000', // your app, sending mail to Pigeonhole's SMTP port
  },
  env: {
    // cypress-mailpit talks to Pigeonhole as it would to Mailpit. No trailing slash.
    MAILPIT_URL: 'http://127.0.0.1:8025',
  },
});
