import { partFileName } from '@pigeonhole/shared/part-name';
import type { Attachment, Message } from '@pigeonhole/shared/schemas/message';
import { useMemo } from 'react';
import { formatSize } from '../../../lib/format';
import { partUrl } from '../api/part-urls';
import { useRaw } from '../api/get-raw';
import { mimeTree, type MimeNode } from '../lib/mime-tree';

/** What the server's MIME model made of each part, by PartID: the one rule the whole UI shows. */
type Roles = Map<string, { role: 'attachment' | 'inline'; part: Attachment }>;

function rolesOf(message: Pick<Message, 'Attachments' | 'Inline'>): Roles {
  const roles: Roles = new Map();
  for (const part of message.Attachments) roles.set(part.PartID, { role: 'attachment', part });
  for (const part of message.Inline) roles.set(part.PartID, { role: 'inline', part });
  return roles;
}

/** The part the model listed for this node (a message that is not multipart is part 1, as IMAP numbers). */
function listedOf(node: MimeNode, roles: Roles) {
  return roles.get(node.path || '1');
}

/**
 * A node's role: listed by the model (with its download link), a body, or inside a listed part (a
 * forwarded or returned message, which is downloaded whole).
 */
function Role({ id, node, roles, within }: { id: string; node: MimeNode; roles: Roles; within: string }) {
  const listed = listedOf(node, roles);
  if (listed) {
    return (
      <a href={partUrl(id, listed.part.PartID)} download={partFileName(listed.part)}>
        {listed.role}
      </a>
    );
  }
  if (within) return <>in part {within}</>;
  if (node.children.length > 0) return <>—</>;
  return <>{/^text\/(plain|html)$/.test(node.contentType) ? 'body' : '—'}</>;
}

interface NodeRowProps {
  id: string;
  node: MimeNode;
  depth: number;
  roles: Roles;
  /** The PartID of a listed part this node is inside; empty when none. */
  within: string;
}

function NodeRow({ id, node, depth, roles, within }: NodeRowProps) {
  const inner = within || (listedOf(node, roles) ? node.path || '1' : '');
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
        <td>
          <Role id={id} node={node} roles={roles} within={within} />
        </td>
        <td className="num">{formatSize(node.size)}</td>
      </tr>
      {node.children.map((child) => (
        <NodeRow key={child.path} id={id} node={child} depth={depth + 1} roles={roles} within={inner} />
      ))}
    </>
  );
}

/**
 * The MIME part tree: types, encodings, charsets, dispositions, sizes, and what the server's MIME
 * model shows each part as (body, inline or attachment, the latter two downloadable).
 */
export function MimeTab({ message }: { message: Message }) {
  const id = message.ID;
  const raw = useRaw(id, true);
  const tree = useMemo(() => (raw.data ? mimeTree(raw.data) : null), [raw.data]);
  const roles = useMemo(() => rolesOf(message), [message]);
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
            <th scope="col">Shown as</th>
            <th scope="col" className="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          <NodeRow id={id} node={tree.root} depth={0} roles={roles} within="" />
        </tbody>
      </table>
      {tree.truncated ? (
        <p className="tab-empty">The structure is very large; only its first parts are shown.</p>
      ) : null}
    </div>
  );
}
