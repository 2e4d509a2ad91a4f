/**
 * The independent checks of what billing produces, with the official artefacts in ../shared/einvoice:
 * the CII D16B schema (xmllint), the EN 16931 business rules (Saxon-HE running the Schematron
 * compiled to XSLT), and the PDF text as poppler's pdftotext reads it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
const XSD = path.join(sharedDir, 'einvoice/cii-d16b-xsd/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd');
const XSLT = path.join(sharedDir, 'einvoice/en16931-cii-xslt/EN16931-CII-validation.xslt');
const SAXON = '/usr/share/java/Saxon-HE.jar';

export interface SchemaResult {
  ok: boolean;
  output: string;
}

/** Writes the documents to a fresh folder: name → XML bytes. */
export async function writeAll(documents: ReadonlyMap<string, Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'einvoice-'));
  await Promise.all([...documents].map(([name, bytes]) => writeFile(path.join(dir, `${name}.xml`), bytes)));
  return dir;
}

/** xmllint against the CII D16B schema, all files in one run. */
export async function validateSchema(dir: string): Promise<SchemaResult> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.xml')).map((f) => path.join(dir, f));
  try {
    const { stderr, stdout } = await run('xmllint', ['--noout', '--schema', XSD, ...files], { maxBuffer: 32 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface RuleFailure {
  file: string;
  id: string;
  flag: string;
  text: string;
}

/**
 * The EN 16931 Schematron over every file of the folder in ONE JVM (Saxon transforms a
 * directory into a directory); returns the failed asserts of each file and how many reports.
 */
export async function validateBusinessRules(dir: string): Promise<{ reports: number; failures: RuleFailure[]; firedRules: number }> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'svrl-'));
  await run('java', ['-cp', SAXON, 'net.sf.saxon.Transform', `-s:${dir}`, `-xsl:${XSLT}`, `-o:${out}`], {
    maxBuffer: 32 * 1024 * 1024,
  });
  const failures: RuleFailure[] = [];
  let firedRules = 0;
  const reports = (await readdir(out)).filter((f) => f.endsWith('.xml'));
  for (const file of reports) {
    const svrl = await readFile(path.join(out, file), 'utf8');
    firedRules += (svrl.match(/<svrl:fired-rule/g) ?? []).length;
    for (const match of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
      const attrs = match[1] ?? '';
      failures.push({
        file,
        id: /\bid="([^"]*)"/.exec(attrs)?.[1] ?? '?',
        flag: /\bflag="([^"]*)"/.exec(attrs)?.[1] ?? '?',
        text: (match[2] ?? '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      });
    }
  }
  return { reports: reports.length, failures, firedRules };
}

/** The PDF's text as poppler reads it (layout mode keeps table rows on one line). */
export async function pdfText(bytes: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pdf-'));
  const file = path.join(dir, 'doc.pdf');
  await writeFile(file, bytes);
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  return stdout;
}

/** The files embedded in a PDF, extracted by poppler's pdfdetach: name → bytes. */
export async function pdfAttachments(bytes: Buffer): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pdf-'));
  const file = path.join(dir, 'doc.pdf');
  await writeFile(file, bytes);
  const out = path.join(dir, 'out');
  await run('mkdir', [out]);
  await run('pdfdetach', ['-saveall', '-o', out, file]);
  const result = new Map<string, Buffer>();
  for (const name of await readdir(out)) result.set(name, await readFile(path.join(out, name)));
  return result;
}

/** What independent tools (poppler's pdffonts/pdfinfo, qpdf) read of a PDF/A-3 Factur-X. */
export interface PdfAReport {
  /** pdfinfo's "PDF version". */
  version: string;
  /** pdffonts rows: every font the pages use, and whether it is embedded. */
  fonts: { name: string; embedded: boolean }[];
  /** The XMP packet (pdfinfo -meta), and whether xmllint finds it well-formed. */
  xmp: string;
  xmpWellFormed: boolean;
  /** qpdf --check: structure, cross-reference table and streams. */
  qpdfOk: boolean;
  qpdfOutput: string;
  /** The catalog's /AF array as qpdf's JSON shows it: file name, relationship, MIME subtype. */
  associatedFiles: { name: string; relationship: string; subtype: string | null }[];
  /** /S of each catalog output intent (PDF/A: GTS_PDFA1). */
  outputIntents: string[];
}

export async function pdfaReport(bytes: Buffer): Promise<PdfAReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pdfa-'));
  const file = path.join(dir, 'doc.pdf');
  await writeFile(file, bytes);
  const info = (await run('pdfinfo', [file])).stdout;
  const xmp = (await run('pdfinfo', ['-meta', file])).stdout;
  const xmpFile = path.join(dir, 'xmp.xml');
  await writeFile(xmpFile, xmp);
  const xmpWellFormed = await run('xmllint', ['--noout', xmpFile]).then(
    () => true,
    () => false,
  );
  // pdffonts prints a two-line header, then: name type [encoding] emb sub uni object-id generation.
  const fonts = (await run('pdffonts', [file])).stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((row) => {
      const cells = row.trim().split(/\s+/);
      return { name: cells[0]!, embedded: cells[cells.length - 5] === 'yes' };
    });
  // qpdf exits 0 when clean, 3 with warnings, 2 on errors.
  const check = await run('qpdf', ['--check', file]).then(
    (r) => ({ ok: true, output: r.stdout }),
    (err: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
  );
  // qpdf's JSON v2: plain objects under `value`, streams under `stream.dict`.
  type Objects = Record<string, { value?: Record<string, unknown>; stream?: { dict: Record<string, unknown> } }>;
  const json = JSON.parse((await run('qpdf', ['--json=2', '--json-key=qpdf', file], { maxBuffer: 64 * 1024 * 1024 })).stdout) as {
    qpdf: [unknown, Objects & { trailer: { value: { '/Root': string } } }];
  };
  const objects = json.qpdf[1];
  const deref = (ref: unknown) => objects[`obj:${String(ref)}`]!.value!;
  const streamDict = (ref: unknown) => objects[`obj:${String(ref)}`]!.stream!.dict;
  const catalog = deref(objects.trailer.value['/Root']);
  const text = (value: unknown) => String(value).replace(/^[ub]:/, '');
  const associatedFiles = ((catalog['/AF'] as string[] | undefined) ?? []).map((ref) => {
    const spec = deref(ref);
    const embedded = streamDict((spec['/EF'] as { '/F': string })['/F']);
    return {
      name: text(spec['/UF'] ?? spec['/F']),
      relationship: String(spec['/AFRelationship']).replace(/^\//, ''),
      // Names are written with #xx escapes (text#2fxml): decode them.
      subtype: embedded['/Subtype']
        ? String(embedded['/Subtype'])
            .replace(/^\//, '')
            .replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        : null,
    };
  });
  const outputIntents = ((catalog['/OutputIntents'] as string[] | undefined) ?? []).map((ref) =>
    String(deref(ref)['/S']).replace(/^\//, ''),
  );
  return {
    version: /PDF version:\s+(\S+)/.exec(info)?.[1] ?? '',
    fonts,
    xmp,
    xmpWellFormed,
    qpdfOk: check.ok,
    qpdfOutput: check.output,
    associatedFiles,
    outputIntents,
  };
}
