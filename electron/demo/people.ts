import type { Random } from './random';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉宇鹏飞云燕婷浩凯琳雪梅慧晨欣怡子涵俊峰海波宁';
const CITIES = [
  ['济南市', '历下区', '泉城路'],
  ['济南市', '市中区', '经七路'],
  ['青岛市', '市南区', '香港中路'],
  ['重庆市', '渝中区', '解放碑步行街'],
  ['重庆市', '江北区', '建新北路'],
  ['烟台市', '芝罘区', '南大街'],
] as const;
const COMPANIES = ['鲁信机械制造有限公司', '泉城物流股份有限公司', '渝江建设集团有限公司', '海岱食品有限公司', '齐鲁医药连锁有限公司', '山城汽车零部件有限公司', '黄河水务有限公司', '巴渝商贸有限公司'];

export function personName(r: Random): string {
  const given = r.next() < 0.5 ? r.pick([...GIVEN]) : r.pick([...GIVEN]) + r.pick([...GIVEN]);
  return r.pick([...SURNAMES]) + given;
}

export function mobile(r: Random): string {
  return `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`;
}

/** A well-formed 18-digit resident ID number with a valid GB 11643 check digit. */
export function idNumber(r: Random, birth: string): string {
  const region = r.pick(['370102', '370202', '500103', '500105', '370602']);
  const body = `${region}${birth.replaceAll('-', '')}${String(r.int(0, 999)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return body + '10X98765432'[sum % 11];
}

export function address(r: Random): string {
  const [city, district, road] = r.pick(CITIES);
  return `${city}${district}${road}${r.int(1, 300)}号${r.int(1, 30)}单元${r.int(101, 2602)}室`;
}

export function company(r: Random): string {
  return r.pick(COMPANIES);
}
