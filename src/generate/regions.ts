/**
 * The region tree of generated exports: real province, prefecture and county names with their GB/T 2260 codes,
 * made-up township (镇/乡) and village (村) names with 3-digit codes appended (12-digit 统计用区划代码).
 * Households are laid out village by village, county by county.
 */
import { pickPlaceStem } from "./names.js";
import type { Random } from "./random.js";

/** A county of the region tree. */
export interface County {
  province: string;
  city: string;
  county: string;
  /** 6-digit GB/T 2260 code. */
  code: string;
}

/** A village and everything above it. */
export interface Village extends County {
  township: string;
  village: string;
  /** 12-digit code: county (6) + township (3) + village (3). */
  villageCode: string;
}

/**
 * Counties households are laid out in, in order. Chosen among counties that were national key assistance counties;
 * the 4 digits after the province (prefecture + county) are distinct, so that 户编号 built from them are unique.
 * The first county's 户编号 start with 0 (0621…), so even a small set has IDs with a leading zero.
 */
export const COUNTIES: readonly County[] = [
  ["云南省", "昭通市", "鲁甸县", "530621"],
  ["云南省", "昭通市", "巧家县", "530622"],
  ["云南省", "昭通市", "盐津县", "530623"],
  ["云南省", "昭通市", "大关县", "530624"],
  ["云南省", "昭通市", "永善县", "530625"],
  ["云南省", "昭通市", "绥江县", "530626"],
  ["云南省", "昭通市", "镇雄县", "530627"],
  ["云南省", "昭通市", "彝良县", "530628"],
  ["云南省", "昭通市", "威信县", "530629"],
  ["甘肃省", "定西市", "安定区", "621102"],
  ["甘肃省", "定西市", "通渭县", "621121"],
  ["甘肃省", "定西市", "陇西县", "621122"],
  ["甘肃省", "定西市", "渭源县", "621123"],
  ["甘肃省", "定西市", "临洮县", "621124"],
  ["甘肃省", "定西市", "漳县", "621125"],
  ["甘肃省", "定西市", "岷县", "621126"],
  ["贵州省", "毕节市", "大方县", "520521"],
  ["贵州省", "毕节市", "织金县", "520524"],
  ["贵州省", "毕节市", "纳雍县", "520525"],
  ["贵州省", "毕节市", "赫章县", "520527"],
  ["河北省", "张家口市", "张北县", "130722"],
  ["河北省", "张家口市", "康保县", "130723"],
  ["河北省", "张家口市", "沽源县", "130724"],
  ["河北省", "张家口市", "尚义县", "130725"],
].map(([province, city, county, code]) => ({ province: province!, city: city!, county: county!, code: code! }));

/** More counties than COUNTIES holds are made up under the same prefectures, with codes xxxx41…xxxx99. */
function extraCounty(index: number, rng: Random): County {
  const prefectures = [...new Map(COUNTIES.map((c) => [c.code.slice(0, 4), c])).values()];
  const base = prefectures[index % prefectures.length]!;
  const serial = 41 + Math.floor(index / prefectures.length);
  if (serial > 99) throw new RangeError("region tree exhausted");
  return { province: base.province, city: base.city, county: pickPlaceStem(rng) + "县", code: base.code.slice(0, 4) + String(serial) };
}

/** Sizes of the layout: how many townships per county, villages per township, households per village. */
export interface LayoutSizes {
  townshipsPerCounty: [number, number];
  villagesPerTownship: [number, number];
  householdsPerVillage: [number, number];
}

/** Typical sizes of a county in a poor mountain area. */
export const DEFAULT_LAYOUT: LayoutSizes = {
  townshipsPerCounty: [9, 16],
  villagesPerTownship: [8, 18],
  householdsPerVillage: [120, 380],
};

/**
 * Walks the region tree: `nextHousehold()` returns the village of the next household and its 1-based sequence
 * number inside the village, opening new villages, townships and counties as they fill up.
 */
export class RegionLayout {
  private countyIndex = -1;
  private county!: County;
  private townshipsLeft = 0;
  private townIndex = 0;
  private xiangIndex = 0;
  private townshipName = "";
  private townshipCode = "";
  private villagesLeft = 0;
  private villageIndex = 0;
  private village!: Village;
  private householdsLeft = 0;
  private sequence = 0;
  private readonly usedNames = new Set<string>();

  constructor(
    private readonly rng: Random,
    private readonly sizes: LayoutSizes = DEFAULT_LAYOUT,
  ) {}

  /** The county currently being filled (valid after the first nextHousehold). */
  get currentCounty(): County {
    return this.county;
  }

  /** The village and in-village sequence number of the next household; `newCounty` is true on a county's first. */
  nextHousehold(): { village: Village; sequence: number; newCounty: boolean } {
    let newCounty = false;
    if (this.householdsLeft === 0) newCounty = this.openVillage();
    this.householdsLeft--;
    this.sequence++;
    return { village: this.village, sequence: this.sequence, newCounty };
  }

  private openVillage(): boolean {
    let newCounty = false;
    if (this.villagesLeft === 0) newCounty = this.openTownship();
    this.villagesLeft--;
    this.villageIndex++;
    const name = this.uniqueName("村", this.townshipCode);
    this.village = {
      ...this.county,
      township: this.townshipName,
      village: name,
      villageCode: this.townshipCode + String(200 + this.villageIndex),
    };
    this.householdsLeft = this.rng.int(...this.sizes.householdsPerVillage);
    this.sequence = 0;
    return newCounty;
  }

  private openTownship(): boolean {
    let newCounty = false;
    if (this.townshipsLeft === 0) {
      this.openCounty();
      newCounty = true;
    }
    this.townshipsLeft--;
    // 镇 take codes 101…, 乡 201… (the GB/T 10114 convention); roughly 2 in 5 are 镇.
    const town = this.rng.chance(0.4) && this.townIndex < 98;
    const serial = town ? 101 + this.townIndex++ : 201 + this.xiangIndex++;
    if (serial > 299) throw new RangeError("too many townships in one county");
    this.townshipName = this.uniqueName(town ? "镇" : "乡", this.county.code);
    this.townshipCode = this.county.code + String(serial);
    this.villagesLeft = this.rng.int(...this.sizes.villagesPerTownship);
    this.villageIndex = 0;
    return newCounty;
  }

  private openCounty(): void {
    this.countyIndex++;
    this.county =
      this.countyIndex < COUNTIES.length ? COUNTIES[this.countyIndex]! : extraCounty(this.countyIndex - COUNTIES.length, this.rng);
    this.townshipsLeft = this.rng.int(...this.sizes.townshipsPerCounty);
    this.townIndex = 0;
    this.xiangIndex = 0;
    this.usedNames.clear();
  }

  private uniqueName(suffix: string, scope: string): string {
    for (;;) {
      const name = pickPlaceStem(this.rng) + suffix;
      if (!this.usedNames.has(scope + name)) {
        this.usedNames.add(scope + name);
        return name;
      }
    }
  }
}

/**
 * 户编号 of a household: prefecture + county digits (4, often with a leading zero), township (3), village (3) and
 * a 5-digit sequence — 15 digits of text, unique across the layout.
 */
export function buildHouseholdId(village: Village, sequence: number): string {
  return village.villageCode.slice(2) + String(sequence).padStart(5, "0");
}
