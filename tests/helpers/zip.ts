/**
 * A minimal zip writer (stored entries, no compression) for crafting .xlsx files byte by byte: cells exceljs does not
 * write (inline strings, `1.30434199001011E+17` stored as a number, shared strings with phonetic runs), and zips that
 * are not workbooks.
 */
import { crc32, deflateRawSync } from "node:zlib";

/** One file inside the archive. */
export interface ZipEntry {
  name: string;
  data: string | Buffer;
  /** Deflate the data (method 8) instead of storing it. */
  deflate?: boolean;
  /** Added to the uncompressed size the headers declare (a damaged archive when not 0). */
  sizeError?: number;
}

/** The bytes of a zip archive holding `entries` in the order given. */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const plain = typeof e.data === "string" ? Buffer.from(e.data, "utf8") : e.data;
    const crc = crc32(plain);
    const data = e.deflate ? deflateRawSync(plain) : plain;
    const method = e.deflate ? 8 : 0;
    const size = plain.length + (e.sizeError ?? 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8); // 0 stored, 8 deflated
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const centralBytes = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBytes, end]);
}

/** A sheet of a hand-made workbook: its name and the XML of its <sheetData> children (the <row> elements). */
export interface RawSheet {
  name: string;
  rowsXml: string;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/**
 * The bytes of an .xlsx with the given sheets (in that order), shared strings and number formats: `styles` lists
 * the numFmtId of each cell style (s="0", s="1", …); workbook.xml is stored last in the zip, as some exporters do.
 */
export function buildRawXlsx(
  sheets: readonly RawSheet[],
  options: {
    sharedStrings?: string[];
    styles?: number[];
    /** Custom number formats by numFmtId (164 and up), for `styles` to use. */
    numFmts?: Record<number, string>;
    date1904?: boolean;
    sheetZip?: Pick<ZipEntry, "deflate" | "sizeError">;
    chartSheets?: string[];
  } = {},
): Buffer {
  const shared = options.sharedStrings ?? [];
  const charts = options.chartSheets ?? [];
  const styles = options.styles ?? [0];
  const entries: ZipEntry[] = [
    {
      name: "[Content_Types].xml",
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    },
    {
      name: "_rels/.rels",
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    ...sheets.map((s, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${s.rowsXml}</sheetData></worksheet>`,
      ...options.sheetZip,
    })),
    ...charts.map((_, j) => ({
      name: `xl/chartsheets/sheet${j + 1}.xml`,
      data: `<?xml version="1.0" encoding="UTF-8"?><chartsheet ${NS}><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>`,
    })),
    {
      name: "xl/sharedStrings.xml",
      data: `<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="${shared.length}" uniqueCount="${shared.length}">${shared.join("")}</sst>`,
    },
    {
      name: "xl/styles.xml",
      data:
        `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}>` +
        (options.numFmts ? `<numFmts>${Object.entries(options.numFmts).map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`).join("")}</numFmts>` : "") +
        `<cellXfs count="${styles.length}">${styles.map((id) => `<xf numFmtId="${id}"/>`).join("")}</cellXfs></styleSheet>`,
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data:
        `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
        charts.map((_, j) => `<Relationship Id="rIdC${j + 1}" Type="${REL}/chartsheet" Target="chartsheets/sheet${j + 1}.xml"/>`).join("") +
        `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    },
    {
      name: "xl/workbook.xml",
      data:
        `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS} xmlns:r="${REL}">${options.date1904 ? '<workbookPr date1904="1"/>' : ""}<sheets>` +
        sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
        charts.map((name, j) => `<sheet name="${name}" sheetId="${sheets.length + j + 1}" r:id="rIdC${j + 1}"/>`).join("") +
        `</sheets></workbook>`,
    },
  ];
  return buildZip(entries);
}
