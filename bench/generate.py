"""Write a synthetic province-sized scheme and a complete roster for it, for benchmarks.

    python bench/generate.py --units 5000 --out /tmp/bench5000

writes ``DIR/policies/bench.yaml`` (the Puning scheme with its units replaced by the city
government, N departments and the data bureau) and ``DIR/roster.yaml`` (every unit with
its officers, contacts, some support-team members, and filings: about 60% on time, 25%
late, the rest missing). The output depends only on N. Both files pass
``CDO_POLICIES=DIR/policies cdo validate DIR/roster.yaml`` with no findings.

``--variant`` writes a roster with something to report instead, beside the full one:

- ``blank``: ``roster_blank.yaml``, what ``cdo init`` writes for the scheme (every field
  blank, one finding per required role);
- ``misspelt``: ``roster_misspelt.yaml``, the full roster with one character changed in
  10% of the unit names (each an unknown unit with a "did you mean", and a missing one);
- ``findings``: ``roster_findings.yaml``, half the unit names misspelt and every phone of
  the other half invalid: tens of thousands of findings at N = 10000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "policies" / "puning.yaml"
SCHEME_ID = "bench"
GOVERNMENT = "普宁市人民政府"
BUREAU = "市政务服务数据管理局"


def _words(text: str) -> list[str]:
    return text.split()


# County-level places of Guangdong and the usual departments of their governments:
# their product gives thousands of distinct, plausible unit names.
PLACES = _words(
    "越秀区 海珠区 荔湾区 天河区 白云区 黄埔区 番禺区 花都区 南沙区 从化区 增城区 "
    "福田区 罗湖区 南山区 盐田区 宝安区 龙岗区 龙华区 坪山区 光明区 香洲区 斗门区 金湾区 "
    "龙湖区 金平区 濠江区 潮阳区 潮南区 澄海区 南澳县 禅城区 南海区 顺德区 三水区 高明区 "
    "武江区 浈江区 曲江区 乐昌市 南雄市 始兴县 仁化县 翁源县 新丰县 乳源县 源城区 东源县 "
    "和平县 龙川县 紫金县 连平县 梅江区 梅县区 兴宁市 平远县 蕉岭县 大埔县 丰顺县 五华县 "
    "惠城区 惠阳区 博罗县 惠东县 龙门县 城区 陆丰市 海丰县 陆河县 蓬江区 江海区 新会区 "
    "台山市 开平市 鹤山市 恩平市 江城区 阳东区 阳春市 阳西县 赤坎区 霞山区 坡头区 麻章区 "
    "廉江市 雷州市 吴川市 遂溪县 徐闻县 茂南区 电白区 高州市 化州市 信宜市 端州区 鼎湖区 "
    "高要区 四会市 广宁县 怀集县 封开县 德庆县 清城区 清新区 英德市 连州市 佛冈县 阳山县 "
    "连山县 连南县 湘桥区 潮安区 饶平县 榕城区 揭东区 普宁市 揭西县 惠来县 云城区 云安区 "
    "罗定市 新兴县 郁南县"
)
DEPARTMENTS = _words(
    "发展和改革局 教育局 科学技术局 工业和信息化局 公安局 民政局 司法局 财政局 "
    "人力资源和社会保障局 自然资源局 生态环境局 住房和城乡建设局 交通运输局 水务局 "
    "农业农村局 商务局 文化广电旅游体育局 卫生健康局 退役军人事务局 应急管理局 审计局 "
    "市场监督管理局 统计局 医疗保障局 林业局 城市管理和综合执法局 信访局 "
    "政务服务数据管理局 机关事务管理局 地方金融工作局 档案局 民族宗教事务局 粮食和物资储备局 "
    "投资促进局 乡村振兴局 国有资产管理局 人民防空办公室 外事办公室 港澳事务办公室 "
    "住房公积金管理中心 公共资源交易中心 不动产登记中心 社会保险基金管理局 "
    "气象局 供销合作联社 残疾人联合会 工商业联合会 科学技术协会 总工会 妇女联合会"
)
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
    ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"),
    ("邓", "deng"), ("冯", "feng"), ("曾", "zeng"), ("蔡", "cai"), ("彭", "peng"),
]  # fmt: skip
GIVEN = _words(
    "建国 志强 秀英 丽娟 海燕 伟 芳 敏 静 磊 军 洋 勇 艳 杰 娜 涛 明 超 霞 平 刚 桂英 晓东 文博 雅琴 国华 少波 锦辉 嘉欣 泽鹏 思颖 振华 丽萍 永强 美玲"
)
MOBILE_PREFIXES = _words("135 136 137 138 139 150 151 152 157 158 159 182 183 187 188 130 131 132 155 156 185 186 133 153 180 189")  # fmt: skip
OFFICES = ["办公室", "综合股", "信息中心", "规划股", "法规股", "数据管理科", "综合科"]
STAFF_TITLES = ["科员", "一级科员", "二级主任科员", "四级主任科员", "办公室副主任", "股长"]
QUALIFICATIONS = [
    "计算机科学与技术专业",
    "3年数字化工作经历",
    "软件工程专业",
    "5年政务信息化工作经历",
    "信息管理与信息系统专业",
]
ISSUED = dt.date(2023, 10, 24)
DUE_ONCE = dt.date(2023, 10, 30)


def unit_names(n: int) -> list[str]:
    """N distinct department names, the same for the same N."""
    names: list[str] = []
    round_ = 0
    while len(names) < n:
        for dept in DEPARTMENTS:
            for place in PLACES:
                name = f"{place}{dept}" if round_ == 0 else f"{place}{dept}第{round_ + 1}分局"
                names.append(name)
                if len(names) == n:
                    return names
        round_ += 1
    return names


def build_scheme(names: list[str]) -> Any:
    """The Puning scheme, renamed to ``bench``, with the given departments as its units."""
    yaml = YAML(typ="rt")
    scheme = yaml.load(SOURCE.read_text(encoding="utf-8"))
    units = scheme["units"]
    government = next(u for u in units if u["name"] == GOVERNMENT)
    bureau = next(u for u in units if u["name"] == BUREAU)
    departments = []
    for i, name in enumerate(names, 1):
        departments.append(
            {
                "name": name,
                "kind": "department",
                "tags": ["attachment3"],
                "source": {"section": "附件3", "quote": f"{i}{name}"},
            }
        )
    scheme["id"] = SCHEME_ID
    scheme["units"] = [government, *departments, bureau]
    return scheme


def dump_scheme(scheme: Any) -> str:
    """The scheme as YAML text, with the source file's comments kept."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(scheme, buffer)
    return buffer.getvalue()


class People:
    """Deterministic names, phones and e-mails that never repeat within a unit."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def person(self, avoid: set[str]) -> tuple[str, str, str]:
        """(name, phone, e-mail) with a name not in ``avoid``."""
        while True:
            surname, pinyin = self.rng.choice(SURNAMES)
            name = surname + self.rng.choice(GIVEN)
            if name not in avoid:
                break
        self.count += 1
        if self.rng.random() < 0.7:
            phone = f'"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"'
        else:
            phone = f"0663-{self.rng.randrange(2, 9)}{self.rng.randrange(10**6):06d}"
        email = f"{pinyin}{self.count:05d}@example.com"
        return name, phone, email


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _once(rng: random.Random) -> dt.date | None:
    """A one-off filing due 2023-10-30: on time (60%), late (25%) or missing."""
    roll = rng.random()
    if roll < 0.60:
        return _day(rng, ISSUED, DUE_ONCE)
    if roll < 0.85:
        return _day(rng, DUE_ONCE + dt.timedelta(days=1), dt.date(2023, 12, 20))
    return None


# What a misspelt name gets instead of one of its characters.
TYPOS = "市县区厅处科室局办委会司署所站队"


def misspelt(name: str, rng: random.Random, taken: set[str]) -> str:
    """``name`` with one character changed, to a name not in ``taken``."""
    while True:
        i = rng.randrange(len(name))
        typo = name[:i] + rng.choice(TYPOS) + name[i + 1 :]
        if typo != name and typo not in taken:
            return typo


def bad_phone(phone: str) -> str:
    """An invalid number made from a valid one: a digit short."""
    digits = phone.strip('"').replace("-", "")
    return f'"{digits[:-1]}"'


def roster_lines(
    names: list[str],
    rng: random.Random,
    keys: dict[str, str] | None = None,
    bad_phones: frozenset[str] = frozenset(),
) -> Iterator[str]:
    """The roster, line by line.

    ``keys`` writes some units under another name (a misspelling); the units named in
    ``bad_phones`` get an invalid number for every person. Neither changes what the random
    generator is asked, so the rest of the roster is the full one's.
    """
    keys = keys or {}
    people = People(rng)
    yield "# 合成名册（bench/generate.py），供性能测试使用"
    yield f"scheme: {SCHEME_ID}"
    yield "note: 合成数据，非真实人员"
    yield "units:"

    def number(phone: str, unit: str) -> str:
        return bad_phone(phone) if unit in bad_phones else phone

    def officer(
        unit: str, role: str, title: str, avoid: set[str], office: str | None = None
    ) -> list[str]:
        name, phone, email = people.person(avoid)
        avoid.add(name)
        lines = [f"      {role}:"]
        if office:
            lines.append(f"        office: {office}")
        lines += [
            f"        name: {name}",
            f"        title: {title}",
            f"        phone: {number(phone, unit)}",
            f"        email: {email}",
        ]
        return lines

    taken: set[str] = set()
    yield f"  {GOVERNMENT}:"
    yield "    officers:"
    yield from officer(GOVERNMENT, "city_cdo", "副市长", taken)
    yield from officer(GOVERNMENT, "city_contact", "科员", taken, office="数据管理股")
    yield "    filings:"
    yield "      - obligation: city_cdo_plan"
    yield "        date: 2023-10-27"
    yield "      - obligation: city_contact_form"
    yield "        date: 2023-10-25"

    for name in names:
        taken = set()
        title = "副主任" if name.endswith(("办公室", "中心")) else "副局长"
        if name.endswith(("联社", "联合会", "协会", "总工会")):
            title = "副主席"
        yield f"  {keys.get(name, name)}:"
        yield "    officers:"
        yield from officer(name, "dept_cdo", title, taken)
        yield from officer(
            name, "dept_contact", rng.choice(STAFF_TITLES), taken, office=rng.choice(OFFICES)
        )
        if rng.random() < 0.3:
            role = rng.choice(["support_planning", "support_data", "support_project"])
            yield f"      {role}:"
            for _ in range(rng.randrange(1, 3)):
                member, phone, _email = people.person(taken)
                taken.add(member)
                yield f"        - name: {member}"
                yield f"          title: {rng.choice(STAFF_TITLES)}"
                yield f"          phone: {number(phone, name)}"
                yield f"          qualification: {rng.choice(QUALIFICATIONS)}"
        filings = []
        for obligation in ("dept_contact_form", "dept_cdo_plan"):
            date = _once(rng)
            if date is not None:
                filings.append((obligation, None, date))
        if rng.random() < 0.4:
            date = _day(rng, dt.date(2023, 12, 1), dt.date(2024, 1, 20))
            filings.append(("dept_cdo_annual_report", 2023, date))
        if filings:
            yield "    filings:"
            for obligation, period, date in filings:
                yield f"      - obligation: {obligation}"
                if period is not None:
                    yield f"        period: {period}"
                yield f"        date: {date.isoformat()}"

    yield f"  {BUREAU}:"
    yield "    filings:"
    yield "      - obligation: bureau_annual_summary"
    yield "        period: 2023"
    yield "        date: 2023-12-28"


VARIANTS = ("full", "blank", "misspelt", "findings")


def generate(units: int, out: Path, variant: str = "full") -> tuple[Path, Path]:
    """Write the scheme and a roster for ``units`` departments; return their paths.

    ``full`` is ``DIR/roster.yaml``; the other variants (see the module docstring) are
    ``DIR/roster_VARIANT.yaml``.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    names = unit_names(units)
    policies = out / "policies"
    policies.mkdir(parents=True, exist_ok=True)
    scheme_path = policies / f"{SCHEME_ID}.yaml"
    _write(scheme_path, dump_scheme(build_scheme(names)))
    if variant == "blank":
        roster_path = out / "roster_blank.yaml"
        _write(roster_path, blank_roster(scheme_path))
        return scheme_path, roster_path
    rng = random.Random(f"cdo-bench-{units}")
    keys: dict[str, str] = {}
    bad: frozenset[str] = frozenset()
    if variant != "full":
        share = 0.1 if variant == "misspelt" else 0.5
        typos = random.Random(f"cdo-bench-{variant}-{units}")
        taken = set(names)
        for name in names:
            if typos.random() < share:
                keys[name] = misspelt(name, typos, taken)
                taken.add(keys[name])
        if variant == "findings":
            bad = frozenset(n for n in names if n not in keys)
    roster_path = out / ("roster.yaml" if variant == "full" else f"roster_{variant}.yaml")
    _write(roster_path, "\n".join(roster_lines(names, rng, keys, bad)) + "\n")
    return scheme_path, roster_path


def blank_roster(scheme_path: Path) -> str:
    """What ``cdo init`` writes for the scheme: this checkout's template, made in-process."""
    sys.path.insert(0, str(ROOT))
    from cdo_cli.policy_loading import Registry
    from cdo_cli.roster_template import roster_template

    scheme = Registry([scheme_path.parent]).get(SCHEME_ID)
    return roster_template(scheme, "bench.roster.schema.json")


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    """Command line: --units N --out DIR."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, required=True, help="number of departments (N)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument(
        "--variant",
        choices=VARIANTS,
        default="full",
        help="full (no findings), blank (as cdo init writes it), misspelt (10%% of units), "
        "findings (half the units misspelt, every other phone invalid)",
    )
    args = parser.parse_args(argv)
    if args.units < 1:
        parser.error("--units must be at least 1")
    scheme_path, roster_path = generate(args.units, args.out, args.variant)
    size = roster_path.stat().st_size
    print(f"{scheme_path}\n{roster_path} ({args.units + 2} units, {size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
