/**
 * Personal and place names for generated exports: common surnames, given names by sex, township and village names.
 * Names are made up from common characters; any match with a real person is chance.
 */
import type { Random } from "./random.js";

const SURNAMES = (
  "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
).split("");

const MALE_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘".split("");
const FEMALE_CHARS = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽秀".split("");

/** A surname drawn from common ones. */
export function pickSurname(rng: Random): string {
  // Squaring the uniform draw favours the most common surnames at the head of the list.
  const u = rng.next();
  return SURNAMES[Math.floor(u * u * SURNAMES.length)]!;
}

/** A full name (surname + one or two given-name characters) for the given sex. */
export function pickName(rng: Random, male: boolean, surname: string = pickSurname(rng)): string {
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  const given = rng.chance(0.3) ? rng.pick(chars) : rng.pick(chars) + rng.pick(chars);
  return surname + given;
}

const PLACE_CHARS = "东西南北上下前后大小新老石马杨柳李王张刘高黄白青红龙凤山河沟湾坪岭峪庄营堡寨店桥泉源水井坡塘岗台头口洼川林家峰安平宁和兴隆富丰盛泰顺永昌康乐".split("");

/** A made-up two-character place stem, e.g. 石岭. */
export function pickPlaceStem(rng: Random): string {
  const a = rng.pick(PLACE_CHARS);
  let b = rng.pick(PLACE_CHARS);
  while (b === a) b = rng.pick(PLACE_CHARS);
  return a + b;
}
