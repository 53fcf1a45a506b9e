// Validate generated log-pipeline documents with the systems' own published material.
//
//   node check.mjs logql  < ["<LogQL>", ...]
//       Grafana's LogQL grammar (@grafana/lezer-logql, the parser Grafana's Loki editor uses):
//       a query is valid when its parse tree has no error node.
//   node check.mjs types  < [{"kind": "<one of BODY_TYPES>", "name": "...", "body": {...}}, ...]
//       Documents type-checked with `tsc --noEmit`: Elasticsearch request bodies against the
//       official client's request types (@elastic/elasticsearch `estypes`), Kubernetes objects
//       against the official client's models (@kubernetes/client-node). Each body is a fresh
//       object literal, so TypeScript's excess-property check rejects unknown fields at every depth.
//
// Both print one JSON array on stdout, one {name?, ok, errors: [...]} per input, in order; the
// exit status is 0 when the run itself worked (whatever the verdicts), 2 on bad usage.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

// The request type of each body, less the path and query parameters (they are not in the body).
const BODY_TYPES = {
  index_template:
    "Omit<estypes.IndicesPutIndexTemplateRequest, 'name' | 'create' | 'master_timeout' | 'cause' | 'body' | keyof estypes.RequestBase>",
  ilm_policy:
    "Omit<estypes.IlmPutLifecycleRequest, 'name' | 'master_timeout' | 'timeout' | 'body' | keyof estypes.RequestBase>",
  ingest_pipeline:
    "Omit<estypes.IngestPutPipelineRequest, 'id' | 'master_timeout' | 'timeout' | 'if_version' | 'body' | keyof estypes.RequestBase>",
  k8s_statefulset: 'k8s.V1StatefulSet',
  k8s_service: 'k8s.V1Service',
};

async function checkLogql(queries) {
  const { parser } = await import('@grafana/lezer-logql');
  return queries.map((query) => {
    if (typeof query !== 'string' || !query.trim()) {
      return { ok: false, errors: [{ from: 0, to: 0, text: 'empty query' }] };
    }
    const errors = [];
    parser.parse(query).iterate({
      enter: (node) => {
        if (node.type.isError) {
          errors.push({ from: node.from, to: node.to, text: query.slice(Math.max(0, node.from - 10), node.to + 10) });
        }
      },
    });
    return { ok: errors.length === 0, errors };
  });
}

function checkTypes(entries) {
  const lines = ["import type { estypes } from '@elastic/elasticsearch';", "import type * as k8s from '@kubernetes/client-node';", ''];
  const spans = [];
  entries.forEach((entry, i) => {
    const type = BODY_TYPES[entry.kind];
    if (!type) throw new Error(`unknown body kind ${JSON.stringify(entry.kind)} (one of ${Object.keys(BODY_TYPES).join(', ')})`);
    const body = JSON.stringify(entry.body, null, 2).split('\n');
    const first = lines.length + 1;
    lines.push(`export const body${i}: ${type} = ${body[0]}`, ...body.slice(1));
    lines[lines.length - 1] += ';';
    spans.push([first, lines.length]);
  });
  // The file must sit under this folder so that TypeScript finds node_modules/@elastic.
  const dir = mkdtempSync(join(HERE, '.check-'));
  try {
    const file = join(dir, 'bodies.ts');
    writeFileSync(file, lines.join('\n') + '\n');
    const tsc = join(HERE, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--pretty', 'false',
      '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    const results = entries.map((entry) => ({ name: entry.name, ok: true, errors: [] }));
    const unplaced = [];
    // tsc --pretty false: "<file>(<line>,<col>): error TS<code>: <message>", continuations indented.
    let last = null;
    for (const text of (run.stdout + run.stderr).split('\n')) {
      const m = /^(.*)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(text);
      if (m) {
        const line = Number(m[2]);
        const at = spans.findIndex(([a, b]) => line >= a && line <= b);
        last = { line: at >= 0 ? line - spans[at][0] + 1 : line, message: m[4] };
        if (at >= 0) {
          results[at].ok = false;
          results[at].errors.push(last);
        } else {
          unplaced.push(last);
        }
      } else if (last && /^\s+\S/.test(text)) {
        last.message += ` ${text.trim()}`;
      } else if (text.trim()) {
        unplaced.push({ line: 0, message: text.trim() });
      }
    }
    if (unplaced.length || (run.status !== 0 && results.every((r) => r.ok))) {
      throw new Error(`tsc failed outside the bodies: ${JSON.stringify(unplaced)}`);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const mode = process.argv[2];
  if (!['logql', 'types'].includes(mode)) {
    process.stderr.write('usage: node check.mjs logql|types < input.json\n');
    process.exit(2);
  }
  const input = JSON.parse(readFileSync(0, 'utf8'));
  if (!Array.isArray(input)) {
    process.stderr.write('input must be a JSON array\n');
    process.exit(2);
  }
  const results = mode === 'logql' ? await checkLogql(input) : checkTypes(input);
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((err) => {
  process.stderr.write(`check.mjs: ${err.message}\n`);
  process.exit(3);
});
