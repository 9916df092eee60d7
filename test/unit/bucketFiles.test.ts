// Outside text from S3 (object keys) as local file names and in rendered places: download names,
// the preview CodeLens. Hostile inputs come from test/fixtures/hostile.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { downloadPath, safeFileName } from '../../src/buckets/fileName';
import { previewLensTitle, readUpTo, totalFromContentRange } from '../../src/buckets/preview';
import { hasNotificationLink } from '../../src/util/inert';
import { BIDI, COMMAND_LINK, ICON_SPOOF, LINK_TEXTS, PATH_NAMES } from '../fixtures/hostile';

const DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

describe('download file names', () => {
  test('every hostile path name becomes one plain name inside the chosen folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'dl-'));
    for (const key of [...PATH_NAMES, ...PATH_NAMES.map((k) => `exports/${k}`), `reports/${BIDI}`]) {
      const name = safeFileName(key);
      assert.ok(name.length > 0 && name.length <= 200, JSON.stringify(key));
      // eslint-disable-next-line no-control-regex -- the test looks for control characters
      assert.doesNotMatch(name, /[/\\<>:"|?*\u0000-\u001F\u202A-\u202E]/, JSON.stringify(key));
      assert.notEqual(name, '.');
      assert.notEqual(name, '..');
      assert.doesNotMatch(name, /[. ]$/, 'no trailing dot or space (Windows drops them)');
      assert.doesNotMatch(name, DEVICES, `${JSON.stringify(key)} → ${name} names a device`);
      const target = downloadPath(folder, key);
      assert.equal(dirname(target), folder, `${JSON.stringify(key)} lands in the folder`);
      assert.equal(basename(target), name);
    }
  });

  test('ordinary names are kept; the last segment is the name', () => {
    assert.equal(safeFileName('events/year=2024/part-00000.json.gz'), 'part-00000.json.gz');
    assert.equal(safeFileName('reports/'), 'reports');
    assert.equal(safeFileName('../../.bashrc'), '.bashrc');
    assert.equal(safeFileName('a/../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('C:\\Windows\\win.ini'), 'win.ini');
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('nul.txt'), '_nul.txt');
    assert.equal(safeFileName('a:b*c?.txt'), 'a_b_c_.txt');
    assert.equal(safeFileName('x\u0000y'), 'x_y');
    assert.equal(safeFileName('..'), 'object');
    assert.equal(safeFileName('/'), 'object');
    const long = `${'a'.repeat(300)}.json`;
    assert.equal(safeFileName(long).length, 200);
    assert.ok(safeFileName(long).endsWith('.json'));
  });
});

describe('preview CodeLens title', () => {
  test('a hostile key renders no icon and no link in the lens', () => {
    for (const key of [...LINK_TEXTS, ICON_SPOOF, `logs/${ICON_SPOOF}.log`, `${BIDI}.txt`]) {
      for (const truncated of [false, true]) {
        const title = previewLensTitle({ bucket: 'demo-data-lake', key }, { truncated, totalBytes: 10, gzip: false, limit: 4 });
        assert.equal(hasNotificationLink(title), false, title);
        // The only icon a lens may show is our own warning.
        assert.deepEqual([...title.matchAll(/\$\([a-z-~]+\)/g)].map((m) => m[0]), truncated ? ['$(warning)'] : [], title);
        assert.doesNotMatch(title, /[\u202A-\u202E\u2066-\u2069]/);
      }
    }
    assert.match(previewLensTitle({ bucket: 'b', key: `x/${COMMAND_LINK}` }, { truncated: false, totalBytes: 1, gzip: false, limit: 4 }), /^Read-only preview of s3:\/\/b\/x\/\[Open runbook\] \(command:/);
  });

  test('an unknown size reads as unknown, not 0 B', () => {
    assert.match(previewLensTitle({ bucket: 'b', key: 'k' }, { truncated: true, totalBytes: undefined, gzip: false, limit: 1024 }), /of an object of unknown size/);
    assert.match(previewLensTitle({ bucket: 'b', key: 'k' }, { truncated: false, totalBytes: undefined, gzip: false, limit: 1024 }), /\(unknown size\)/);
  });
});

describe('reading a preview body', () => {
  test('readUpTo keeps at most the limit and stops the stream', async () => {
    let pulled = 0;
    const endless = new Readable({ read() { pulled++; this.push(Buffer.alloc(1000, 0x61)); } });
    const r = await readUpTo(endless, 2500);
    assert.equal(r.bytes.length, 2500);
    assert.equal(r.more, true);
    assert.ok(endless.destroyed, 'the stream was stopped');
    assert.ok(pulled < 10, `pulled ${pulled} chunks`);
    const exact = await readUpTo(Readable.from([Buffer.alloc(100), Buffer.alloc(100)]), 200);
    assert.deepEqual([exact.bytes.length, exact.more], [200, false]);
    assert.deepEqual([(await readUpTo(undefined, 10)).bytes.length], [0]);
  });

  test('the size comes from Content-Range', () => {
    assert.equal(totalFromContentRange('bytes 0-4095/200000'), 200000);
    assert.equal(totalFromContentRange('bytes 0-4095/*'), undefined);
    assert.equal(totalFromContentRange(undefined), undefined);
  });
});
