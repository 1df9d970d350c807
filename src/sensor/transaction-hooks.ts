// Module loader hooks (run on Node's loader thread): serve a wrapped file's text in place of the
// file on disk. See transactions.ts.

interface LoadContext {
  format?: string;
}
interface LoadResult {
  format?: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context: LoadContext) => Promise<LoadResult>;

let sources: Record<string, string> = {};

export function initialize(data: { sources: Record<string, string> }): void {
  sources = data.sources;
}

export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  const result = await nextLoad(url, context);
  const source = sources[url];
  // CommonJS files come back without a source here; the CommonJS loader's own hook serves them.
  if (source === undefined || result.format !== 'module') return result;
  return { ...result, source, shortCircuit: true };
}
