/**
 * Cell values (inputs.md "Value formats"), header normalisation and header-row detection.
 */
import { describe, expect, it } from "vitest";
import { lookupColumn, normalizeHeader } from "../../src/schema/catalogue.js";
import { findHeaderRow, parseMonthHeader } from "../../src/schema/recognise.js";
import { isSkippableRow } from "../../src/schema/rows.js";
import { cleanCell, cleanIdentifier, isScientific, parseAmount, parseSize, parseYesNo } from "../../src/schema/values.js";
import { monthOf } from "../../src/model/month.js";

describe("amounts", () => {
  it.each([
    ["1,234.50", 1234.5],
    ["1234.5元", 1234.5],
    ["１２３４", 1234],
    ["¥ 88", 88],
    ["-300", -300],
    ["(300)", -300],
    ["", undefined],
    ["abc", NaN],
    ["0x1A", NaN],
  ])("%j → %s", (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });
});

describe("IDs", () => {
  it.each([
    ['="000123"', "000123"],
    ["  0012  ", "0012"],
  ])("cleanCell(%j) = %j", (raw, expected) => expect(cleanCell(raw)).toBe(expected));
  it.each([
    ["'13043419900101123x", "13043419900101123X"],
    ["１３０４", "1304"],
    ["123.0", "123"],
  ])("cleanIdentifier(%j) = %j", (raw, expected) => expect(cleanIdentifier(raw)).toBe(expected));
  it.each([
    ["1.30434E+17", true],
    ["1.30434199001011E+17", true],
    ["130434199001011234", false],
    ["13043419900101123X", false],
  ])("isScientific(%j) = %s", (text, expected) => expect(isScientific(text)).toBe(expected));
});

describe("sizes and yes/no", () => {
  it.each([
    ["3", 3],
    ["", undefined],
    ["0", NaN],
    ["2.5", NaN],
    ["-1", NaN],
  ])("parseSize(%j) = %s", (text, expected) => expect(parseSize(text)).toBe(expected));
  it.each([
    ["是", true],
    ["Y", true],
    ["TRUE", true],
    ["1", true],
    ["否", false],
    ["no", false],
    ["0", false],
    ["", undefined],
    ["不详", null],
  ])("parseYesNo(%j) = %s", (text, expected) => expect(parseYesNo(text)).toBe(expected));
});

describe("headers", () => {
  it.each([
    ["人均纯收入（元）", "人均纯收入(元)"],
    [" *户编号 ", "户编号"],
    ["户主\n姓名", "户主姓名"],
    ["Household_ID", "household_id"],
  ])("normalizeHeader(%j) = %j", (raw, expected) => expect(normalizeHeader(raw)).toBe(expected));

  it("a unit in brackets is dropped when the name does not match as written", () => {
    expect(lookupColumn("households", "合规自付支出（元）")?.def.canonical).toBe("合规自付支出");
  });

  it.each([
    ["2026年1月", 2026, monthOf(2026, 1)],
    ["202602", undefined, monthOf(2026, 2)],
    ["2026-03纯收入", undefined, monthOf(2026, 3)],
    ["1月", 2025, monthOf(2025, 1)],
    ["1月", undefined, "needs-year"],
    ["13月", 2025, undefined],
    ["备注", 2025, undefined],
  ])("parseMonthHeader(%j, year %s) = %s", (header, year, expected) => expect(parseMonthHeader(header, year)).toBe(expected));

  it.each([
    [[["标题"], ["导出时间：2026-10-31"], ["户编号", "年月", "纯收入"]], 2],
    [[["户编号"], ["户编号", "家庭人口数"]], 1],
    [[...Array.from({ length: 20 }, () => ["说明"]), ["户编号", "年月"]], undefined],
    [[...Array.from({ length: 19 }, () => ["说明"]), ["户编号", "年月"]], 19],
  ])("findHeaderRow: the first row with two known names within the first 20 (case %#)", (rows, expected) => {
    expect(findHeaderRow(rows)).toBe(expected);
  });
});

describe("rows skipped, not rejected", () => {
  it.each([
    [["", "", ""], true],
    [["  ", "\u3000"], true],
    [["合计", "", "300"], true],
    [["", "总 计", "300"], true],
    [["小计：东村"], true],
    [["0001", "合计"], false],
  ])("%j skipped: %s", (cells, expected) => expect(isSkippableRow(cells)).toBe(expected));
});
