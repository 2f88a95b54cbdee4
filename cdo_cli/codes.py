"""The finding codes: one table that says, for each code, where it is reported, how serious
it is and what it means.

It is the documentation of ``cdo policy check`` (scheme files) and ``cdo validate``
(rosters), and the test list: tests/test_codes.py checks that every code the checks can
emit is here and that every row has a test case that makes it fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .findings import Severity

FileKind = Literal["scheme", "roster"]
FILE_KINDS: dict[FileKind, str] = {
    "scheme": "方案（cdo policy check）",
    "roster": "名册（cdo validate）",
}


@dataclass(frozen=True)
class Code:
    """One finding code as reported on one kind of file."""

    file: FileKind
    code: str
    severity: Severity
    meaning: str


E, W = Severity.error, Severity.warning

# One row per (file, code, severity). A code may appear for both kinds of file (with the
# meaning each has there) and, once, with both severities (holders-range).
CODES: tuple[Code, ...] = (
    # ---- scheme files: reading and shape (policy_loading) ----
    Code("scheme", "yaml-invalid",       E, "文件无法读作 YAML：空文件、不是文本或 UTF-8、语法错误（如制表符缩进）、重复的键、不允许的标签、嵌套或别名过多"),
    Code("scheme", "policy-shape",       E, "顶层不是键值对（应为 id、city、document、units …）"),
    Code("scheme", "policy-invalid",     E, "不符合方案结构：缺少必填项、类型或取值不对（见 cdo schema policy）"),
    Code("scheme", "key-unknown",        E, "未知的键（多为拼写错误），并提示此处可用的键"),
    Code("scheme", "policy-id",          E, "方案 id 与文件名不一致（文件名即方案 id）"),
    Code("scheme", "policy-unreadable",  E, "方案文件夹中的 .yaml 无法读取（是文件夹、没有读取权限）；cdo policy list 将其列为有错误的方案"),
    # ---- scheme files: across records (policy_checks) ----
    Code("scheme", "text-control",       E, "文字中有看不见的控制字符（如 \\x1b、\\u202e）；名称、标题等单行文字中也不能有换行"),
    Code("scheme", "id-duplicate",       E, "职位、事项或附件的 id 重复"),
    Code("scheme", "unit-duplicate",     E, "单位名称或别名已用于另一单位"),
    Code("scheme", "unit-alias",         W, "选择单位时用了别名，应写单位全称"),
    Code("scheme", "unit-unknown",       E, "职位、附件、栏目或点名人员所写的单位不在方案的单位中"),
    Code("scheme", "duty-out-of-scope",  W, "承担事项的单位不在方案的单位中"),
    Code("scheme", "selector-empty",     W, "按类别、标签或试点选择单位，却一个也没有选中"),
    Code("scheme", "selector-broad",     W, "选中的单位可能多于本意：职位选中了本级政府和其他单位，或选中了与职位名称不符的单位（列出所选单位）"),
    Code("scheme", "quote-not-found",    E, "引用的原文在文件原文中找不到（忽略空白比较），并提示最接近的段落"),
    Code("scheme", "todo-optional",      W, "cdo policy new 生成的文件中还有可选的 TODO 未处理"),
    Code("scheme", "role-unknown",       E, "引用的职位 id 未在 roles 中定义（distinct_from、事项、栏目、点名人员）"),
    Code("scheme", "holders-range",      E, "职位人数下限大于上限"),
    Code("scheme", "holders-range",      W, "必设职位的人数下限为 0"),
    Code("scheme", "duty-role-mismatch", W, "承担事项的单位不设该事项指定的职位"),
    Code("scheme", "form-unknown",       E, "事项引用的附件未在 forms 中定义"),
    Code("scheme", "obligation-unknown", E, "附件所属的事项未在 obligations 中定义"),
    Code("scheme", "role-not-allowed",   E, "文件点名的人员所在单位不设其职位"),
    Code("scheme", "due-before-issue",   W, "期限或首个年度早于文件印发日期（发文时已过期，请核对原文）"),
    Code("scheme", "column-unfilled",    W, "附件中填写人员信息的列，没有职位来填（单位名单或未指定 role 的栏目）"),
    Code("scheme", "section-role",       E, "按职位填写的栏目（unit_role、role_list）未指定 role"),
    Code("scheme", "form-role-absent",   W, "每单位一份的附件发给了不设某栏目职位的单位（如部门的表发给街道），这些单位的表上该栏总是空的"),
    Code("scheme", "parent-unknown",     E, "单位的上级单位（parent）不在方案的单位中"),
    Code("scheme", "parent-loop",        E, "单位的上级单位绕回了它自己（parent 成环）"),
    Code("scheme", "parent-kind",        W, "上级单位的类别不合常理：如街道、镇的上级是政府部门，县（市、区）的上级是街道，部门的上级是事业单位"),
    Code("scheme", "attribute-unknown",  E, "单位或选择条件用到的单位属性未在 attributes 中定义"),
    Code("scheme", "eligibility-in-principle", W, "任职条件是“原则上……”，却写了 eligibility_strict: true（“原则上”的条件只应提问）"),
    Code("scheme", "issue-date-unknown", W, "文件未载明印发日期（issued: null）：期限是否早于印发日期的检查已跳过"),
    # ---- rosters: reading and shape (roster_loading) ----
    Code("roster", "yaml-invalid",       E, "文件无法读作 YAML：空文件、不是文本或 UTF-8、语法错误（如制表符缩进）、重复的键、不允许的标签、嵌套或别名过多"),
    Code("roster", "roster-shape",       E, "顶层不是键值对（应为 scheme、units）"),
    Code("roster", "roster-invalid",     E, "不符合名册结构：缺少必填项、类型或日期不对"),
    Code("roster", "key-unknown",        E, "未知的键（多为拼写错误），并提示此处可用的键"),
    Code("roster", "scheme-unknown",     E, "scheme 不是已找到的方案"),
    Code("roster", "unit-unknown",       E, "单位不在方案范围内（全称和别名都对不上）"),
    Code("roster", "unit-duplicate",     E, "同一单位（全称或别名）列出了两次，或列在同一方案的两份名册中"),
    # ---- rosters: against the scheme (roster_checks) ----
    Code("roster", "text-control",       E, "文字中有看不见的控制字符（如 \\x1b、\\u202e）；姓名、职务等单行文字中也不能有换行"),
    Code("roster", "role-unknown",       E, "不是本方案的职位（写了职位名称而非 id 时提示 id）"),
    Code("roster", "history-dates",      E, "历任记录的卸任日期早于任命日期，或早于方案印发日期"),
    Code("roster", "appointed-before-issue", E, "任命日期早于方案印发日期（现任或历任）"),
    Code("roster", "role-not-allowed",   E, "这类单位不设此职位"),
    Code("roster", "role-too-many",      E, "填写人数超过方案规定的上限"),
    Code("roster", "phone-invalid",      E, "电话号码无效（手机 11 位，座机带区号）"),
    Code("roster", "email-invalid",      E, "电子邮箱无效"),
    Code("roster", "eligibility-question", W, "从职务看不出是否符合任职条件，请人工确认"),
    Code("roster", "qualification-missing", W, "支撑团队成员未写明资质"),
    Code("roster", "text-formula",       W, "姓名、职务或科室以 = + - @ 开头，在 Excel 中会被当作公式（多为误粘贴或有意构造）"),
    Code("roster", "name-too-long",      W, "姓名超过 40 个字符，不像是人名（多为粘贴错栏）"),
    Code("roster", "posts-kept-apart",   E, "同一人担任了文件要求分设的两个职位"),
    Code("roster", "posts-kept-apart",   W, "同一人担任了方案推定分设的两个职位（文件没有写明，distinct_assumed），请核对"),
    Code("roster", "eligibility-mismatch", E, "职务明显不符合文件明确规定的任职条件（eligibility_strict，不是“原则上”）"),
    Code("roster", "role-unlisted",      W, "文件所列岗位以“等”结尾，名册另设了未列出的岗位，请核对是否同类"),
    Code("roster", "not-in-force",       W, "单位或职位在 --as-of 这一天还未纳入或已经结束（分批推行、有起止时间的职位）"),
    Code("roster", "attribute-unknown",  E, "单位的 attributes 中有方案没有的属性"),
    Code("roster", "attribute-missing",  W, "单位未写明决定其职位的属性（如是否设有信息化机构），无法判断是否须设某职位"),
    Code("roster", "minimum-not-met",    W, "成员（如试点地市）所选的单位少于文件要求的数量（如“不少于3个县(市、区)”），按同一方案的全部名册计"),
    Code("roster", "issue-date-unknown", W, "方案未载明印发日期：报送、任命、卸任日期是否早于印发日期的检查已跳过"),
    Code("roster", "obligation-unknown", E, "报送记录的事项不是本方案的事项"),
    Code("roster", "filing-not-owed",    E, "单位不承担该事项，却有报送记录"),
    Code("roster", "filing-before-issue", E, "报送日期早于方案印发日期"),
    Code("roster", "filing-period",      E, "年度不在事项的起止年度内，或一次性事项写了年度"),
    Code("roster", "evaluation-unknown", E, "评价记录的评价、评价内容不是本方案的，或单位不是该评价的对象"),
    Code("roster", "unit-missing",       W, "方案范围内需设职位的单位，名册中没有"),
    Code("roster", "role-missing",       W, "必设职位尚未填写"),
)  # fmt: skip
