import { partFileName } from '@pigeonhole/shared/part-name';
import type { Attachment } from '@pigeonhole/shared/schemas/message';
import { Download, ExternalLink, File, FileText, Image as ImageIcon } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { formatSize } from '../../../lib/format';
import { getPart, partUrl, thumbUrl } from '../api/part-urls';

const RASTER = /^image\/(png|jpe?g|gif|webp|bmp|avif|tiff)$/i;

function kind(part: Attachment): 'image' | 'pdf' | 'other' {
  const type = part.ContentType.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf' || /\.pdf$/i.test(part.FileName)) return 'pdf';
  return 'other';
}

/**
 * Opens a PDF in the browser's viewer in a new tab. The bytes go through a `blob:` URL typed
 * `application/pdf`, so the server's `attachment` disposition does not force a download; only PDFs
 * take this path (an HTML or SVG blob would run in the UI's origin).
 */
async function openPdf(id: string, part: Attachment): Promise<void> {
  const tab = window.open('about:blank', '_blank');
  const bytes = await getPart(id, part.PartID);
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/pdf' }));
  if (tab) tab.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function Thumb({ id, part }: { id: string; part: Attachment }) {
  const [failed, setFailed] = useState(false);
  const k = kind(part);
  if (k === 'image' && RASTER.test(part.ContentType) && !failed) {
    return (
      <img
        className="att__thumb"
        src={thumbUrl(id, part.PartID)}
        alt=""
        loading="lazy"
        onError={() => setFailed(true)}
      />
    );
  }
  const Icon = k === 'image' ? ImageIcon : k === 'pdf' ? FileText : File;
  return (
    <span className="att__thumb att__thumb--icon">
      <Icon size={22} aria-hidden="true" />
    </span>
  );
}

/**
 * The attachments of a message: name, type and size (shown as text, whatever the mail says),
 * thumbnails for images, which open full size; PDFs open in the browser; everything downloads.
 */
export function Attachments({ id, parts }: { id: string; parts: Attachment[] }) {
  const [preview, setPreview] = useState<Attachment | null>(null);
  if (parts.length === 0) return null;
  return (
    <section className="attachments" aria-label="Attachments">
      <ul className="att-list">
        {parts.map((part) => {
          const k = kind(part);
          const name = partFileName(part);
          return (
            <li key={part.PartID} className="att">
              {k === 'image' ? (
                <button
                  type="button"
                  className="att__preview"
                  aria-label={`Preview ${name}`}
                  onClick={() => setPreview(part)}
                >
                  <Thumb id={id} part={part} />
                </button>
              ) : (
                <Thumb id={id} part={part} />
              )}
              <span className="att__info">
                <span className="att__name" title={name}>
                  {name}
                </span>
                <span className="att__meta">
                  {part.ContentType || 'application/octet-stream'} · {formatSize(part.Size)}
                </span>
              </span>
              <span className="att__actions">
                {k === 'pdf' ? (
                  <button
                    type="button"
                    className="btn btn--ghost icon-btn"
                    aria-label={`Open ${name}`}
                    title="Open in the browser"
                    onClick={() => void openPdf(id, part)}
                  >
                    <ExternalLink size={15} aria-hidden="true" />
                  </button>
                ) : null}
                <a
                  className="btn btn--ghost icon-btn"
                  href={partUrl(id, part.PartID)}
                  download={name}
                  aria-label={`Download ${name}`}
                  title="Download"
                >
                  <Download size={15} aria-hidden="true" />
                </a>
              </span>
            </li>
          );
        })}
      </ul>
      {preview ? (
        <Dialog title={preview.FileName || 'Image'} wide onClose={() => setPreview(null)}>
          <div className="lightbox">
            <img src={partUrl(id, preview.PartID)} alt={preview.FileName} />
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
