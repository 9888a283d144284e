import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectEncoding } from "./detect-encoding";

/** A lead file as Excel on a Windows of that language saves it: `rows` rows cycling through the names. */
function legacyFile(encoding: string, names: string[], rows: number): Buffer {
  let text = "Email,Name,Company\n";
  for (let i = 0; i < rows; i++) text += `p${i}@acme${i % 7}.test,${names[i % names.length]},Acme ${i}\n`;
  return iconv.encode(text, encoding);
}

const WESTERN = [
  "José Peña",
  "Jürgen Müller",
  "Françoise Lefèvre",
  "Søren Ågård",
  "Crème Brûlée SA",
  "Björk Guðmundsdóttir",
  "Inês Antunes",
];

describe("detectEncoding of a file neither UTF-8 nor UTF-16", () => {
  it.each([1, 2, 5, 100, 2_000])("reads Western names saved as windows-1252 as windows-1252 (%i rows)", (rows) => {
    expect(detectEncoding(legacyFile("windows-1252", WESTERN, rows)).encoding).toBe("windows-1252");
    for (const name of WESTERN) expect(detectEncoding(legacyFile("windows-1252", [name], rows)).encoding, name).toBe("windows-1252");
  });

  it.each([
    ["windows-1250", ["Łukasz Wójcik", "Małgorzata Kowalska", "Zażółć Gęślą"]],
    ["windows-1250", ["Jiří Dvořák", "Tomáš Černý", "Štěpán Novák", "Žaneta Růžičková"]],
    ["windows-1250", ["Gábor Szőke", "Erzsébet Kovács", "Ödön Fűzfa"]],
    ["windows-1251", ["Иван Петров", "Мария Смирнова", "Алексей Кузнецов"]],
    ["windows-1254", ["Ayşe Yılmaz", "Çağrı Öztürk", "Gülşen Şahin"]],
    ["gb18030", ["王小明", "李华", "张伟"]],
  ])("reads a file of names saved as %s as that (a few dozen accents or more): %j", (encoding, names) => {
    for (const rows of [20, 200]) expect(detectEncoding(legacyFile(encoding, names, rows)).encoding, `${rows} rows`).toBe(encoding);
  });

  it("reads Greek saved as ISO-8859-7 in an encoding that gives back the names", () => {
    const file = legacyFile("iso-8859-7", ["Γιώργος Παπαδόπουλος", "Μαρία Κωνσταντίνου"], 20);
    const { encoding } = detectEncoding(file);
    expect(iconv.decode(file, encoding)).toContain("Γιώργος Παπαδόπουλος");
  });

  it("never picks an encoding that turns a byte into a control character: € and – are windows-1252's", () => {
    const file = iconv.encode("Email;Name\nrenee@x.test;Renée Lefèvre – €\n", "windows-1252");
    expect(detectEncoding(file).encoding).toBe("windows-1252");
  });
});
