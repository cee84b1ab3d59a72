import { Search } from 'lucide-react';
import { useState } from 'react';
import { useHeaders } from '../api/get-headers';

/** Every header of the message, filterable by name or value. */
export function HeadersTab({ id }: { id: string }) {
  const headers = useHeaders(id);
  const [filter, setFilter] = useState('');
  if (headers.isPending) return <p className="tab-empty">Loading headers…</p>;
  if (headers.isError)
    return <p className="tab-empty error-text">Could not load the headers: {headers.error.message}</p>;
  const needle = filter.trim().toLowerCase();
  const rows = Object.entries(headers.data)
    .flatMap(([name, values]) => values.map((value, i) => ({ key: `${name}-${i}`, name, value })))
    .filter((row) => !needle || row.name.toLowerCase().includes(needle) || row.value.toLowerCase().includes(needle));
  return (
    <div className="headers-tab">
      <div className="filter">
        <Search size={14} aria-hidden="true" />
        <input
          type="search"
          className="filter__input"
          placeholder="Filter headers"
          aria-label="Filter headers"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        <span className="filter__count">{rows.length} shown</span>
      </div>
      <table className="kv-table">
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="tab-empty">No header matches “{filter}”.</p> : null}
    </div>
  );
}
