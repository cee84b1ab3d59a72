import { useMemo } from 'react';
import { formatSize } from '../../../lib/format';
import { useRaw } from '../api/get-raw';
import { mimeTree, type MimeNode } from '../lib/mime-tree';

function NodeRow({ node, depth }: { node: MimeNode; depth: number }) {
  return (
    <>
      <tr>
        <td className="mime-type" style={{ paddingLeft: 12 + depth * 20 }}>
          {depth > 0 ? (
            <span className="mime-branch" aria-hidden="true">
              └{' '}
            </span>
          ) : null}
          <span className="mono">{node.contentType}</span>
          {node.filename ? <span className="mime-file"> {node.filename}</span> : null}
        </td>
        <td className="mono">{node.path || 'root'}</td>
        <td>{node.children.length > 0 ? '—' : node.encoding}</td>
        <td>{node.charset || '—'}</td>
        <td>{node.disposition || (node.contentId ? 'inline (cid)' : '—')}</td>
        <td className="num">{formatSize(node.size)}</td>
      </tr>
      {node.children.map((child) => (
        <NodeRow key={child.path} node={child} depth={depth + 1} />
      ))}
    </>
  );
}

/** The MIME part tree: types, encodings, charsets, dispositions and sizes. */
export function MimeTab({ id }: { id: string }) {
  const raw = useRaw(id, true);
  const tree = useMemo(() => (raw.data ? mimeTree(raw.data) : null), [raw.data]);
  if (raw.isError) return <p className="tab-empty error-text">Could not load the message: {raw.error.message}</p>;
  if (!tree) return <p className="tab-empty">Loading…</p>;
  return (
    <div className="mime-tab">
      <table className="data-table" aria-label="MIME structure">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Part</th>
            <th scope="col">Encoding</th>
            <th scope="col">Charset</th>
            <th scope="col">Disposition</th>
            <th scope="col" className="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          <NodeRow node={tree.root} depth={0} />
        </tbody>
      </table>
      {tree.truncated ? (
        <p className="tab-empty">The structure is very large; only its first parts are shown.</p>
      ) : null}
    </div>
  );
}
