import { IMPORT_FIELD_NAMES } from '../../shared/api/contract';
import type { FieldIssue } from '../../shared/api/envelope';
import type { Channel, ProductType, TaskKind, TaskSource } from '../../shared/domain/tasks';

/**
 * The fields a head-office list can carry. Headers differ from one sender to the next; the reader
 * recognises the usual Chinese names and the user confirms or fixes the mapping.
 */
export const IMPORT_FIELDS = IMPORT_FIELD_NAMES;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column index (0-based) in the sheet for each mapped field. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export type RawCell = string | number | boolean | Date | null;

export interface ColumnProbe {
  index: number;
  /** The header text as in the file (trimmed, merged multi-row headers joined). */
  header: string;
  /** The first few non-empty values as text, for the mapping screen. */
  samples: string[];
}

export interface SheetProbe {
  fileName: string;
  format: 'xlsx' | 'csv';
  /** For CSV: the encoding detected ('utf-8', 'utf-8-bom', 'gb18030', 'utf-16le'). */
  encoding: string | null;
  /** For CSV: the field separator detected (',' or a tab for Excel's 「Unicode 文本」). */
  delimiter: string | null;
  sheetName: string | null;
  /**
   * 1-based row number of the header row as the spreadsheet shows it. With a two-row (merged)
   * header this is the lower row: data starts right after it.
   */
  headerRow: number;
  /** 1, or 2 when the header spans two rows (group cells merged above their sub-columns). */
  headerRowCount: 1 | 2;
  columns: ColumnProbe[];
  /** What the header recognition proposes. */
  suggested: ColumnMapping;
  /** A stable fingerprint of the header row, to remember a sender's mapping. */
  headerSignature: string;
}

/** One valid row, normalised: dates ISO, phones digits, amounts in cents, codes for enums. */
export interface NormalizedRow {
  /** 1-based row number in the file. */
  row: number;
  kind: TaskKind;
  source: TaskSource | null;
  policyNo: string;
  applicantName: string;
  applicantPhone: string | null;
  insuredName: string | null;
  beneficiaryName: string | null;
  idNumber: string | null;
  address: string | null;
  issueDate: string | null;
  printDate: string | null;
  receiptSignedDate: string | null;
  receiptEntryDate: string | null;
  channel: Channel | null;
  productName: string | null;
  productType: ProductType | null;
  premiumCents: number | null;
  payYears: number | null;
  coveragePeriod: string | null;
  termYears: number | null;
  expiryDate: string | null;
  agentName: string | null;
  agentCode: string | null;
  problemDescription: string | null;
  branch: string | null;
  eventDate: string | null;
  amountCents: number | null;
  paymentMethod: 'cash' | 'bank_transfer' | null;
  lastVisitDate: string | null;
  /**
   * Problems that do not stop the row from becoming a task, e.g. a new policy without its receipt
   * date (the call centre may not have it yet: the deadline will say why it cannot be computed).
   */
  warnings: FieldIssue[];
}

/**
 * Every field of a normalised row but its warnings, in a fixed order: what a preview stages for
 * the commit (the preview has reported the warnings; the writer never reads them) and what two rows
 * are compared on.
 */
export const ROW_FIELDS = [
  'row', 'kind', 'source', 'policyNo', 'applicantName', 'applicantPhone', 'insuredName', 'beneficiaryName', 'idNumber', 'address',
  'issueDate', 'printDate', 'receiptSignedDate', 'receiptEntryDate', 'channel', 'productName', 'productType', 'premiumCents',
  'payYears', 'coveragePeriod', 'termYears', 'expiryDate', 'agentName', 'agentCode', 'problemDescription', 'branch', 'eventDate',
  'amountCents', 'paymentMethod', 'lastVisitDate',
] as const satisfies readonly (keyof NormalizedRow)[];

// Compile-time check that ROW_FIELDS names every field but warnings: a field added to NormalizedRow
// and forgotten here would otherwise be dropped silently between preview and commit.
type Missing = Exclude<keyof NormalizedRow, (typeof ROW_FIELDS)[number] | 'warnings'>;
const allFieldsStaged: [Missing] extends [never] ? true : Missing = true;
void allFieldsStaged;

export type RowResult = { ok: true; value: NormalizedRow } | { ok: false; row: number; issues: FieldIssue[] };

export interface ReadOptions {
  mapping: ColumnMapping;
  /** The kind for rows whose list has no 件类型 column (the user picks it on the mapping screen). */
  defaultKind: TaskKind;
  /** Called now and then with bytes read so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Rows left out on purpose (totals, a repeated header, an exact duplicate), with the reason in Chinese. */
  onSkip?: (row: number, reason: string) => void;
  signal?: AbortSignal;
}
