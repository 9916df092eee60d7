// A result forced to spill (a tiny threshold) answers exactly as the same rows held in memory: rows,
// sort (runs merged k-way), filter, copy, export and chart; its file is private, removed on close and
// swept at the next start; the cap and a full disk stop reading with a message and keep what was read.
// Real files in a temporary folder.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvRowScanner, encodeRow, encodeSpreadsheetSafeRow, type Cell } from '../../src/webview/results/csv';
import { copyText, exportChunks, exportTo } from '../../src/webview/results/export';
import { externalSort } from '../../src/webview/results/externalSort';
import type { ResultColumn, ViewSpec } from '../../src/webview/results/protocol';
import { ResultSet } from '../../src/webview/results/resultSet';
import { ResultLimitError, sweepSpillDir, type SpillOptions } from '../../src/webview/results/spillFile';
import { FORMULA_CELLS, PATH_NAMES, SQL_INJECTION_APP_IDS } from '../fixtures/hostile';

const root = mkdtempSync(join(tmpdir(), 'spill-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, `d${dirs++}`);

const columns: ResultColumn[] = [
  { name: 'app', kind: 'text' },
  { name: 'n', kind: 'number' },
  { name: 'at', kind: 'timestamp' },
  { name: 'note', kind: 'text' },
  { name: 'ok', kind: 'boolean' },
];
const ODD = [...FORMULA_CELLS, ...SQL_INJECTION_APP_IDS, ...PATH_NAMES.filter((p) => !p.includes('\u0000')), 'a,"quoted"\nline', 'ünïcödé ✓ 日本', '', 'Web'];

/** Rows with NULLs, ties, negative and non-numbers, quotes, newlines and multi-byte text. */
function makeRows(count: number): Cell[][] {
  const rows: Cell[][] = [];
  let seed = 7;
  const rnd = (m: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % m; };
  for (let i = 0; i < count; i++) {
    rows.push([
      rnd(10) === 0 ? null : `app-${rnd(300)}`,
      rnd(12) === 0 ? null : rnd(15) === 0 ? 'n/a' : String(rnd(2000) - 1000),
      rnd(9) === 0 ? null : `2024-0${1 + rnd(9)}-1${rnd(10)} 0${rnd(10)}:00:00.000`,
      rnd(4) === 0 ? ODD[rnd(ODD.length)] : `note ${i}`,
      rnd(3) === 0 ? null : rnd(2) ? 'true' : 'false',
    ]);
  }
  return rows;
}

const spillOpts = (over: Partial<SpillOptions> = {}): SpillOptions => ({ dir: newDir(), thresholdChars: 200, maxBytes: 1 << 30, freeBytes: () => 1e12, sortRunRows: 700, ...over });

function fillCsv(rs: ResultSet, rows: Cell[][], chunk = 40_000): void {
  const csv = encodeRow(columns.map((c) => c.name)) + rows.map(encodeRow).join('');
  for (let i = 0; i < csv.length; i += chunk) rs.pushCsv(csv.slice(i, i + chunk));
  rs.endCsv();
}

const ROWS = makeRows(12_000);

async function pair(): Promise<{ memory: ResultSet; spilled: ResultSet }> {
  const memory = new ResultSet(columns, { csvHeader: true });
  fillCsv(memory, ROWS);
  await memory.finish();
  const spilled = new ResultSet(columns, { csvHeader: true, spill: spillOpts() });
  fillCsv(spilled, ROWS);
  await spilled.finish();
  return { memory, spilled };
}

test('a result past the threshold keeps its rows in a private file and reads back every row exactly', async () => {
  const { memory, spilled } = await pair();
  assert.ok(spilled.store.spilled, 'spilled');
  assert.ok(!memory.store.spilled);
  assert.equal(spilled.store.textLength, 0, 'no CSV text left in memory');
  const path = spilled.store.spillPath!;
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
  assert.match(path, /[0-9a-f-]{36}\.rows$/, 'the file name is a random id');
  assert.equal(spilled.length, ROWS.length);
  assert.deepEqual(spilled.getRows(0, ROWS.length), ROWS);
  // Random access (a sorted window reads lone rows) and backwards.
  for (const i of [11_999, 3, 7_777, 0, 5_000]) assert.deepEqual(spilled.getRows(i, 1), [ROWS[i]]);
  spilled.dispose();
  memory.dispose();
});

test('sort, filter, copy, export and chart give the same answers spilled as in memory', async () => {
  const { memory, spilled } = await pair();
  const specs: ViewSpec[] = [
    { sort: { column: 1, descending: false } },
    { sort: { column: 1, descending: true } },
    { sort: { column: 0, descending: false } },
    { sort: { column: 3, descending: true } },
    { sort: { column: 2, descending: false } },
    { sort: { column: 4, descending: true } },
    { filter: { column: -1, text: 'app-1' } },
    { filter: { column: -1, text: 'ünïcödé' } },
    { filter: { column: -1, text: '> 500' } },
    { filter: { column: 1, text: '<= -990' } },
    { filter: { column: 0, text: 'is null' } },
    { filter: { column: -1, text: '"quoted"' } },
    { filter: { column: 0, text: 'app-2' }, sort: { column: 1, descending: true } },
    { filter: { column: -1, text: 'note' }, sort: { column: 3, descending: false } },
  ];
  for (const spec of specs) {
    const a = await memory.setView(spec);
    const b = await spilled.setView(spec);
    const label = JSON.stringify(spec);
    assert.equal(b.total, a.total, label);
    assert.ok(a.total > 0, `${label} matches rows`);
    assert.deepEqual(spilled.getRows(0, b.total), memory.getRows(0, a.total), label);
    assert.deepEqual(copyText(spilled, 3, 40, [0, 3], { header: true }), copyText(memory, 3, 40, [0, 3], { header: true }), label);
  }
  await memory.setView({ sort: { column: 3, descending: false } });
  await spilled.setView({ sort: { column: 3, descending: false } });
  for (const format of ['csv', 'csv-exact', 'json'] as const) {
    assert.equal([...exportChunks(spilled, format, 4096)].join(''), [...exportChunks(memory, format, 4096)].join(''), format);
  }
  await memory.setView({});
  await spilled.setView({});
  for (const req of [{ x: 2, ys: [1] }, { x: 0, ys: [1] }, { x: 2, ys: [1], splitBy: 4 }]) {
    assert.deepEqual(spilled.chartData(req), memory.chartData(req), JSON.stringify(req));
  }
  spilled.dispose();
  memory.dispose();
});

test('rows appended as arrays (Logs Insights, GetQueryResults pages) spill the same way', async () => {
  const opts = spillOpts();
  const rs = new ResultSet(columns, { spill: opts });
  for (let i = 0; i < ROWS.length; i += 1000) rs.appendRows(ROWS.slice(i, i + 1000));
  assert.ok(rs.store.spilled);
  assert.deepEqual(rs.getRows(0, ROWS.length), ROWS);
  await rs.setView({ sort: { column: 0, descending: true } });
  const mem = new ResultSet(columns);
  mem.appendRows(ROWS);
  await mem.setView({ sort: { column: 0, descending: true } });
  assert.deepEqual(rs.getRows(0, ROWS.length), mem.getRows(0, ROWS.length));
  rs.dispose();
});

test('closing the results deletes the file; a sort leaves no run file; a sweep removes leftovers and nothing else', async () => {
  const { spilled } = await pair();
  const path = spilled.store.spillPath!;
  const dir = join(path, '..');
  await spilled.setView({ sort: { column: 3, descending: false } });
  assert.deepEqual(readdirSync(dir), [path.slice(dir.length + 1)], 'only the rows file (the sort runs are gone)');
  spilled.dispose();
  assert.ok(!existsSync(path), 'removed on close');
  assert.throws(() => spilled.getRows(0, 1), /closed/);

  // Files a crashed session left behind, and a file that is not ours.
  const leftRows = join(dir, '0b9f6c2e-3f4e-4b8e-9a51-2f0c8d4e7a10.rows');
  const leftRun = join(dir, '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f.run');
  const other = join(dir, 'notes.txt');
  for (const f of [leftRows, leftRun, other]) writeFileSync(f, 'x');
  assert.equal(sweepSpillDir(dir), 2);
  assert.deepEqual(readdirSync(dir), ['notes.txt']);
  assert.equal(sweepSpillDir(join(dir, 'missing')), 0, 'a missing folder is fine');
});

test('the cap stops reading with a message naming the setting; the rows read so far stay and can be sorted (CSV given as text, and as bytes to a store spilling from its first row)', async () => {
  for (const input of ['text', 'bytes'] as const) {
    const rs = new ResultSet(columns, { csvHeader: true, spill: spillOpts({ maxBytes: 300_000 }) });
    let error: unknown;
    try {
      if (input === 'text') fillCsv(rs, ROWS, 20_000);
      else {
        const bytes = Buffer.from(encodeRow(columns.map((c) => c.name)) + ROWS.map(encodeRow).join(''));
        rs.expectChars(bytes.length);
        for (let at = 0; at < bytes.length; at += 20_000) rs.pushCsvBytes(bytes.subarray(at, at + 20_000));
        rs.endCsvBytes();
      }
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ResultLimitError, `${input}: stopped: ${String(error)}`);
    assert.match(error.message, /^Stopped at [\d,]+ rows: the result is larger than 0 MB, the cap set by cloudMonitor\.results\.maxSpillMb/);
    assert.ok(rs.length > 100 && rs.length < ROWS.length, `${input}: kept ${rs.length} rows`);
    assert.ok(rs.store.spilledBytes <= 300_000);
    assert.ok(error.message.includes(rs.length.toLocaleString('en-US')), 'the message says how many rows were kept');
    assert.deepEqual(rs.getRows(0, rs.length), ROWS.slice(0, rs.length));
    assert.throws(() => (input === 'text' ? rs.pushCsv('"more"\n') : rs.pushCsvBytes(Buffer.from('"more"\n'))), ResultLimitError, 'later input is refused too');
    await rs.finish(error.message);
    assert.deepEqual(rs.status, { phase: 'done', loaded: rs.length, message: error.message });
    await rs.setView({ sort: { column: 1, descending: false } });
    assert.equal(rs.viewInfo().total, rs.length);
    rs.dispose();
  }
});

test('a full disk (statfs under the reserve) stops reading with a clear message and keeps what was read', () => {
  let free = 1_000_000;
  const rs = new ResultSet(columns, { spill: spillOpts({ reserveBytes: 600_000, freeBytes: () => free }) });
  rs.appendRows(ROWS.slice(0, 100));
  assert.ok(rs.store.spilled);
  free = 500_000; // another program filled the disk
  // The disk is asked again after 64 MB; a new result asks at once.
  const next = new ResultSet(columns, { spill: spillOpts({ reserveBytes: 600_000, freeBytes: () => free }) });
  assert.throws(() => next.appendRows(ROWS.slice(0, 100)), (err: Error) => err instanceof ResultLimitError
    && /^Stopped at 0 rows: the disk holding the extension's storage has 0 MB free, too little for the rest of the result/.test(err.message));
  assert.equal(next.length, 0);
  rs.appendRows(ROWS.slice(100, 200));
  assert.deepEqual(rs.getRows(0, 200), ROWS.slice(0, 200));
  rs.dispose();
  next.dispose();
});

test('an external sort yields to the event loop while it works, reports progress, and stops when cancelled', async () => {
  const n = 200_000;
  const keys = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 100_003);
  const opts = spillOpts();
  // Counts turns of the event loop while the sort runs: a setImmediate chain advances once per turn, so it
  // moves only when the sort yields. With sliceMs 0 the sort yields at every pause point (each 1,024 keys and
  // each run), so the count doesn't depend on how fast the machine is.
  let turns = 0;
  let spinning = true;
  const spin = () => { turns++; if (spinning) setImmediate(spin); };
  setImmediate(spin);
  const progress: number[] = [];
  const order = await externalSort({ rows: n, key: (r) => keys[r], numeric: true, descending: false, spill: opts, cancelled: () => false, onProgress: (d) => progress.push(d), runRows: 8192, sliceMs: 0 });
  spinning = false;
  assert.ok(order);
  for (let i = 1; i < n; i++) assert.ok(keys[order[i - 1]] < keys[order[i]] || (keys[order[i - 1]] === keys[order[i]] && order[i - 1] < order[i]), `order at ${i}`);
  assert.ok(turns >= Math.floor(n / 1024), `the event loop turned ${turns} times during the sort (expected at least one per 1,024 keys read)`);
  assert.equal(progress.at(-1), 2 * n);
  assert.deepEqual(readdirSync(opts.dir), [], 'the run file is removed');

  let calls = 0;
  const cancelled = await externalSort({ rows: n, key: (r) => keys[r], numeric: true, descending: false, spill: opts, cancelled: () => ++calls > 2, sliceMs: 0, runRows: 8192 });
  assert.equal(cancelled, undefined);
  assert.deepEqual(readdirSync(opts.dir), [], 'a cancelled sort removes its run file');
});

test('cancelView stops a spilled sort under way: the view stays as it was', async () => {
  const { spilled } = await pair();
  const before = spilled.viewInfo();
  const pending = spilled.setView({ sort: { column: 3, descending: true } });
  const info = spilled.cancelView();
  assert.equal(info.version, before.version);
  const after = await pending;
  assert.equal(after.version, before.version, 'the cancelled sort changed nothing');
  assert.deepEqual(spilled.getRows(0, 5), ROWS.slice(0, 5));
  spilled.dispose();
});

test('a large result still in memory sorts through runs too (so the host never blocks on one big sort), with the same order', async () => {
  const many = makeRows(70_000);
  const plain = new ResultSet(columns);
  plain.appendRows(many);
  const opts = spillOpts({ thresholdChars: 1 << 30 });
  const held = new ResultSet(columns, { spill: opts });
  held.appendRows(many);
  assert.ok(!held.store.spilled, 'under the threshold: in memory');
  const progress: number[] = [];
  held.on((e) => { if (e.type === 'viewProgress') progress.push(e.done); });
  for (const sort of [{ column: 1, descending: false }, { column: 0, descending: true }]) {
    await plain.setView({ sort });
    await held.setView({ sort });
    assert.deepEqual(held.getRows(0, many.length), plain.getRows(0, many.length), JSON.stringify(sort));
  }
  assert.ok(progress.length > 0, 'progress was reported');
  assert.deepEqual(readdirSync(opts.dir), [], 'the sort runs are gone');
  held.dispose();
});

test('a producer that knows the size (S3 Content-Length) past the threshold spills from the first row', () => {
  const rs = new ResultSet(columns, { csvHeader: true, spill: spillOpts({ thresholdChars: 1_000_000 }) });
  rs.expectChars(500_000);
  assert.ok(!rs.store.spilled, 'under the threshold: in memory');
  rs.expectChars(2_000_000);
  assert.ok(rs.store.spilled);
  fillCsv(rs, ROWS.slice(0, 50), 100);
  assert.equal(rs.store.textLength, 0, 'no text was held in memory');
  assert.deepEqual(rs.getRows(0, 50), ROWS.slice(0, 50));
  rs.dispose();
});

test('a store that spills from its first row takes the CSV as bytes, with no text scanned or held, and reads back what the text path reads: quoted newlines, multi-byte characters cut between pieces, CRLF, a BOM, a last row without a newline', async () => {
  const rows = makeRows(4_000);
  rows[7] = ['日本', '1', null, 'é'.repeat(70_000), 'true'];
  const lines = rows.map(encodeRow);
  lines[9] = lines[9].replace(/\n$/, '\r\n');
  const text = encodeRow(columns.map((c) => c.name)) + lines.join('').replace(/\n$/, '');
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  const byText = new ResultSet(columns, { csvHeader: true });
  byText.pushCsv(new TextDecoder().decode(bytes));
  byText.endCsv();
  await byText.finish();
  assert.deepEqual(byText.getRows(0, rows.length), rows, 'the text path reads every row');

  const rs = new ResultSet(columns, { csvHeader: true, spill: spillOpts({ thresholdChars: 10_000 }) });
  assert.ok(!rs.takesBytes, 'a store not yet spilling takes text');
  rs.expectChars(bytes.length);
  assert.ok(rs.takesBytes);
  const textPush = CsvRowScanner.prototype.push;
  let scannedText = 0;
  CsvRowScanner.prototype.push = function (this: CsvRowScanner, chunk: string) { scannedText++; return textPush.call(this, chunk); };
  let seed = 3;
  let rowsSeen = 0;
  rs.on((e) => { if (e.type === 'rows') rowsSeen = e.loaded; });
  try {
    // Pieces of 1 to 3,000 bytes: most cut a row, many a character.
    for (let at = 0; at < bytes.length;) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (seed % 3_000);
      rs.pushCsvBytes(bytes.subarray(at, at + n));
      at += n;
    }
    rs.endCsvBytes();
  } finally {
    CsvRowScanner.prototype.push = textPush;
  }
  await rs.finish();
  assert.equal(scannedText, 0, 'no text was scanned');
  assert.equal(rs.store.textLength, 0);
  assert.equal(rowsSeen, rows.length, 'rows events as rows came');
  assert.deepEqual(rs.getRows(0, rows.length), byText.getRows(0, rows.length));
  for (const i of [7, 9, 3_999, 0, 8]) assert.deepEqual(rs.getRows(i, 1), [rows[i]], `row ${i} alone`);
  await rs.setView({ sort: { column: 1, descending: true } });
  await byText.setView({ sort: { column: 1, descending: true } });
  const exported = (set: ResultSet) => Buffer.concat([...exportChunks(set, 'csv-exact', 1 << 16)].map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString();
  assert.equal(exported(rs), exported(byText), 'a sorted export is the same');
  assert.throws(() => rs.pushCsv('"x"\n'), /cannot follow CSV bytes/);
  rs.dispose();
  byText.dispose();

  const texted = new ResultSet(columns, { csvHeader: true, spill: spillOpts({ thresholdChars: 10_000 }) });
  texted.expectChars(bytes.length);
  texted.pushCsv(text.slice(0, 100));
  assert.ok(!texted.takesBytes, 'once text came, text it stays');
  assert.throws(() => texted.pushCsvBytes(bytes), /only by a store that spills from its first row/);
  texted.dispose();
});

test('export copies stored lines already in the exported form as bytes and encodes only the others, with the same output', async () => {
  // Athena-form lines, and lines in other forms: CRLF, an unquoted value, a short row, a formula cell, a negative number.
  const lines = [
    '"app-1","5","2024-01-01 00:00:00.000",,"true"\n',
    '"app-2","7","2024-01-02 00:00:00.000","ünïcödé ✓ 日本","false"\r\n',
    'app-3,"1",,"x",\n',
    '"app-4","2"\n',
    '"=HYPERLINK(""http://x"")","3",,"a,""b""\nc","true"\n',
    '"app-6","-3",,"",\n',
  ];
  const csv = encodeRow(columns.map((c) => c.name)) + Array.from({ length: 600 }, (_, i) => lines[i % lines.length]).join('');
  for (const spill of [spillOpts(), undefined]) {
    const rs = new ResultSet(columns, { csvHeader: true, spill });
    rs.pushCsv(csv);
    rs.endCsv();
    await rs.finish();
    assert.equal(rs.store.spilled, !!spill);
    await rs.setView({ sort: { column: 1, descending: true } });
    const view = rs.getRows(0, rs.length);
    for (const [format, encode, encoded] of [['csv-exact', encodeRow, [1, 2, 3]], ['csv', encodeSpreadsheetSafeRow, [1, 2, 3, 4, 5]]] as const) {
      const store = rs.store;
      const row = store.row.bind(store);
      let decoded = 0;
      store.row = (i, out) => { decoded++; return row(i, out); };
      const text = Buffer.concat([...exportChunks(rs, format, 1024)].map((c) => Buffer.from(c))).toString('utf8');
      store.row = row;
      assert.equal(text, encode(columns.map((c) => c.name)) + view.map((r) => encode(r)).join(''), format);
      // Only the lines not already in the exported form were decoded (100 of each kind of line).
      assert.equal(decoded, encoded.length * 100, `${format}: ${decoded} rows decoded`);
    }
    rs.dispose();
  }
});

test('the row index holds 2.25 bytes a row (a length each, an offset every 16 rows) and finds every row: quoted newlines, multi-byte text, rows of 64K and more, spilled and in memory', async () => {
  const long = (n: number, c: string) => c.repeat(n);
  const rows: Cell[][] = makeRows(3_000);
  // Rows longer than a 2-byte length (in characters, or only in UTF-8 bytes), around group and block edges.
  rows[15] = ['big', '1', null, long(70_000, 'x'), 'true'];
  rows[16] = ['big', '2', null, `a,"quoted"\n${long(40_000, 'é')}`, 'false'];
  rows[1_001] = ['big', '3', null, long(65_535, 'y'), null];
  rows[2_047] = ['big', '4', null, long(200_000, 'z'), 'true'];
  const memory = new ResultSet(columns, { csvHeader: true });
  fillCsv(memory, rows, 7_777);
  await memory.finish();
  const spilled = new ResultSet(columns, { csvHeader: true, spill: spillOpts({ thresholdChars: 5_000 }) });
  fillCsv(spilled, rows, 7_777);
  await spilled.finish();
  assert.ok(spilled.store.spilled);
  for (const rs of [memory, spilled]) {
    assert.deepEqual(rs.getRows(0, rows.length), rows, 'every row, in order');
    for (const i of [2_047, 16, 15, 1_001, 0, 2_999, 17, 1_000, 31, 32]) assert.deepEqual(rs.getRows(i, 1), [rows[i]], `row ${i} alone`);
    // One page of 1M rows is 2 MB of lengths and 256 KB of group offsets (the long rows apart).
    assert.ok(rs.store.indexBytes <= 1_048_576 * 2.25 + 4 * 16, `index bytes: ${rs.store.indexBytes}`);
    await rs.setView({ filter: { column: 3, text: 'quoted' } });
    assert.deepEqual(rs.getRows(0, 10_000), rows.filter((r) => r[3]?.includes('quoted')), 'the text filter walks rows by their lengths');
    await rs.setView({ sort: { column: 1, descending: true } });
    assert.equal(rs.getRows(0, 10_000).length, rows.length);
  }
  const exported = (rs: ResultSet) => Buffer.concat([...exportChunks(rs, 'csv-exact', 1 << 16)].map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString();
  assert.equal(exported(spilled), exported(memory), 'export (stored lines copied by their offsets) is the same');
  memory.dispose();
  spilled.dispose();
});

test('exportTo writes what exportChunks makes, CSV chunks all in one reused buffer (a new buffer a chunk was +62 MB outside the heap at 1M rows); stop ends it', async () => {
  const rows = makeRows(3_000);
  rows[15] = ['big', '1', null, 'x'.repeat(200_000), 'true'];
  for (const spill of [spillOpts({ thresholdChars: 5_000 }), undefined]) {
    const rs = new ResultSet(columns, { csvHeader: true, spill });
    fillCsv(rs, rows, 7_777);
    await rs.finish();
    assert.equal(rs.store.spilled, !!spill);
    await rs.setView({ sort: { column: 1, descending: true } });
    for (const format of ['csv', 'csv-exact', 'json'] as const) {
      const expected = Buffer.concat([...exportChunks(rs, format, 1 << 16)].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
      const parts: Buffer[] = [];
      const buffers = new Set<ArrayBufferLike>();
      const written = await exportTo(rs, format, async (chunk) => {
        if (typeof chunk !== 'string') buffers.add(chunk.buffer);
        parts.push(Buffer.from(chunk));
        await new Promise((r) => setImmediate(r));
      }, { chunkBytes: 1 << 16 });
      assert.ok(parts.length > 3, `${format}: ${parts.length} chunks`);
      assert.ok(Buffer.concat(parts).equals(expected), `${format}: the same bytes`);
      assert.equal(written, parts.reduce((n, c) => n + (format === 'json' ? c.toString().length : c.length), 0));
      // The first buffer, and the one made for the 200K row (larger than a chunk), which is then reused.
      if (format !== 'json') assert.equal(buffers.size, 2, `${format}: buffers used`);
      let asked = 0;
      const first = await exportTo(rs, format, async () => { asked++; }, { chunkBytes: 1 << 16, stop: (n) => n > 0 });
      assert.equal(asked, 1, `${format}: stop is asked before each chunk`);
      assert.equal(first, format === 'json' ? parts[0].toString().length : parts[0].length);
    }
    rs.dispose();
  }
});

test('a sort of a spilled result decodes rows one by one, never a whole block as one string (block strings piled up in the old generation: +196 MB at 1M rows)', async () => {
  // ASCII rows: their blocks were the ones read back as one string (others were decoded row by row).
  const rows = ROWS.map((r) => r.map((c) => (c === null ? null : c.replace(/[^\x20-\x7e\n]/g, '?'))));
  const spilled = new ResultSet(columns, { csvHeader: true, spill: spillOpts({ thresholdChars: 5_000 }) });
  fillCsv(spilled, rows);
  await spilled.finish();
  assert.ok(spilled.store.spilled);
  const longestRow = Math.max(...rows.map((r) => Buffer.byteLength(encodeRow(r))));
  let longestDecoded = 0;
  const toString = Buffer.prototype.toString;
  Buffer.prototype.toString = function (this: Buffer, ...args: unknown[]) {
    const text = (toString as (...a: unknown[]) => string).apply(this, args);
    longestDecoded = Math.max(longestDecoded, text.length);
    return text;
  } as typeof toString;
  try {
    await spilled.setView({ sort: { column: 3, descending: false } });
    await spilled.setView({ sort: { column: 1, descending: true } });
    spilled.getRows(0, 2_000);
  } finally {
    Buffer.prototype.toString = toString;
  }
  assert.ok(longestDecoded > 0, 'rows were decoded');
  assert.ok(longestDecoded <= longestRow, `longest string decoded from the file: ${longestDecoded} characters (longest row ${longestRow} bytes)`);
  const expected = [...rows.keys()].sort((a, b) => {
    const ka = rows[a][1] === null || rows[a][1] === 'n/a' ? Number.NaN : Number(rows[a][1]);
    const kb = rows[b][1] === null || rows[b][1] === 'n/a' ? Number.NaN : Number(rows[b][1]);
    if (Number.isNaN(ka) || Number.isNaN(kb)) return Number.isNaN(ka) === Number.isNaN(kb) ? a - b : Number.isNaN(ka) ? 1 : -1;
    return ka === kb ? a - b : kb - ka;
  });
  assert.deepEqual(spilled.getRows(0, 50), expected.slice(0, 50).map((i) => rows[i]), 'the sorted view is right');
  spilled.dispose();
});
