import { PigeonholeClient } from '@pigeonhole/shared/client';
import type { MessageSummary } from '@pigeonhole/shared/schemas/messages';
import { useEffect, useState } from 'react';

const client = new PigeonholeClient();

/** The inbox: a first, plain list of the newest messages. */
export function App() {
  const [messages, setMessages] = useState<MessageSummary[]>([]);
  useEffect(() => {
    void client.messages({ limit: 50 }).then((list) => setMessages(list.messages));
  }, []);
  return (
    <main>
      <h1>Pigeonhole</h1>
      <ul>
        {messages.map((m) => (
          <li key={m.ID}>
            {m.From?.Address} — {m.Subject}
          </li>
        ))}
      </ul>
    </main>
  );
}
