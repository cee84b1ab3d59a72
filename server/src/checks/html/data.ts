// caniemail's data (https://www.caniemail.com/api/data.json) as the `caniemail` npm package ships
// it, loaded on the first HTML check: the file is 650 KB of JSON that a Pigeonhole nobody asks for
// a check never needs.
import packageJson from 'caniemail/package.json' with { type: 'json' };

/** Support as caniemail writes it: `y`, `n`, `a` (partial), `u` (unknown), with ` #N` note refs. */
export type SupportMark = string;

/** One feature of caniemail's data. */
export interface CaniemailFeature {
  slug: string;
  title: string;
  description: string | null;
  url: string;
  category: string;
  tags: string[];
  keywords: string | null;
  /** Family, then platform, then version, to a support mark. */
  stats: Record<string, Record<string, Record<string, SupportMark>>>;
  notes_by_num: Record<string, string> | null;
}

/** The whole data file. */
export interface CaniemailData {
  api_version: string;
  last_update_date: string;
  nicenames: { family: Record<string, string>; platform: Record<string, string> };
  data: CaniemailFeature[];
}

/** The package and version the data comes from, e.g. `caniemail@2.0.2`. */
export const DATA_SOURCE = `caniemail@${packageJson.version}`;

let loading: Promise<CaniemailData> | null = null;

/** The data, loaded once per process. */
export function caniemailData(): Promise<CaniemailData> {
  loading ??= import('caniemail/caniemail.json', { with: { type: 'json' } }).then(
    (m: { default: unknown }) => m.default as CaniemailData,
  );
  return loading;
}
