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
        text: (match[2] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
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
