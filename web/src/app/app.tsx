import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Inbox } from './inbox';

/**
 * The app: one query cache (message details, headers, mailboxes, tags) around the inbox. Live
 * events keep it fresh, so nothing refetches on window focus.
 */
export function App() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <Inbox />
    </QueryClientProvider>
  );
}
