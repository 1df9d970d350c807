// Maps generated positions (compiled JS) back to original sources (TS, bundled JS) with the
// service's own source maps, read from disk by the supervisor: the worker pays nothing for it.

import fs from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from '../model/fault.js';

interface LoadedMap {
  mtimeMs: number;
  map: SourceMap | null;
  /** Directory sources are resolved against (the map's dir joined with its sourceRoot). */
  base: string;
}

const MAP_URL = /\/[/*][#@]\s*sourceMappingURL=([^\s*'"]+)\s*(?:\*\/)?\s*$/;

export class SourceMapper {
  private readonly cache = new Map<string, LoadedMap>();

  mapFrames(frames: readonly Frame[]): Frame[] {
    return frames.map((f) => this.mapFrame(f));
  }

  mapFrame(frame: Frame): Frame {
    if (!frame.app || !/\.[cm]?js$/.test(frame.file)) return frame;
    const loaded = this.load(frame.file);
    if (loaded?.map == null) return frame;
    const entry = loaded.map.findEntry(frame.line - 1, frame.column - 1) as Partial<{
      originalSource: string;
      originalLine: number;
      originalColumn: number;
    }>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return frame;
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : path.resolve(loaded.base, entry.originalSource);
    return {
      ...frame,
      file: source,
      line: entry.originalLine + 1,
      column: (entry.originalColumn ?? 0) + 1,
      generated: { file: frame.file, line: frame.line, column: frame.column },
    };
  }

  private load(file: string): LoadedMap | null {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return null;
    }
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached;
    const loaded: LoadedMap = { mtimeMs: stat.mtimeMs, map: null, base: path.dirname(file) };
    this.cache.set(file, loaded);
    try {
      const text = fs.readFileSync(file, 'utf8');
      const tail = text.slice(Math.max(0, text.length - 4096)).trimEnd();
      const m = MAP_URL.exec(tail);
      let payload: SourceMapPayload | undefined;
      let mapDir = path.dirname(file);
      if (m) {
        const url = m[1]!;
        if (url.startsWith('data:')) {
          const comma = url.indexOf(',');
          const data = url.slice(comma + 1);
          payload = JSON.parse(url.slice(0, comma).includes(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data));
        } else {
          const mapFile = path.resolve(mapDir, decodeURIComponent(url));
          payload = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
          mapDir = path.dirname(mapFile);
        }
      } else if (fs.existsSync(`${file}.map`)) {
        payload = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
      }
      if (payload) {
        loaded.map = new SourceMap(payload);
        loaded.base = path.resolve(mapDir, payload.sourceRoot ?? '');
      }
    } catch {
      // An unreadable or malformed map leaves the frame as it was: the stack stays useful.
      loaded.map = null;
    }
    return loaded;
  }
}
