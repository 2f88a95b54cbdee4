"""cdo record filing|appoint, cdo history and cdo import, through the CLI.

The readers of Word forms and spreadsheets are stood in for by modules put into
``sys.modules`` that return :class:`ImportedFile` objects built here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from cdo_cli.errors import UnreadableError
from cdo_cli.records import FilingRecord, ImportedFile, PersonRecord, Where

ROSTER = """\
# 普宁市名册
scheme: puning
units:
  普宁市人民政府:
    officers:
      city_cdo: {name: 王五, title: 副市长, phone: 0663-6186213, email: ww@example.cn}
      city_contact: {office: 综合股, name: 赵六, title: 股长, phone: "13800138000"}
    filings:
      - {obligation: city_contact_form, date: 2023-10-25}
  # 部门
  市公安局:
    officers:
      dept_cdo: {name: 张三, title: 副局长, phone: 0663-8888888, appointed: 2023-10-30}  # 现任
      dept_contact: {office: 科技信息化科, name: 李四, title: 科长, phone: 13912345678}
      support_data:
        - {name: 钱七, title: 科员, qualification: 计算机专业}
    filings: []   # 已报送
"""


@pytest.fixture
def roster(write: Any) -> Path:
    path: Path = write("roster.yaml", ROSTER)
    return path


def _backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("roster.yaml.*.bak"))


def _status(cli: Any, unit: str, obligation: str) -> str:
    result = cli("overdue", "--as-of", "2023-11-01", "--unit", unit, "--format", "json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["items"]
    return str(next(i["status"] for i in items if i["obligation"] == obligation))


# ---------------------------------------------------------------- record filing


def test_record_filing_clears_the_overdue_item(cli: Any, roster: Path) -> None:
    assert _status(cli, "市公安局", "dept_contact_form") == "overdue"
    result = cli(
        "record", "filing", "dept_contact_form", "--unit", "市公安局", "--date", "2023-10-28"
    )
    assert result.exit_code == 0, result.output
    assert (
        "+ 报送：各部门报送工作联系人名单（附件2）（dept_contact_form），2023-10-28"
        in result.stdout
    )
    assert "已写入 roster.yaml（原文件备份为 roster.yaml." in result.stdout
    assert _status(cli, "市公安局", "dept_contact_form") == "filed"
    assert roster.read_text(encoding="utf-8") == ROSTER.replace(
        "    filings: []   # 已报送\n",
        "    filings:   # 已报送\n      - {obligation: dept_contact_form, date: 2023-10-28}\n",
    )


def test_record_filing_keeps_every_previous_version(cli: Any, roster: Path) -> None:
    before = roster.read_bytes()
    cli("record", "filing", "dept_contact_form", "-u", "市公安局", "--date", "2023-10-28")
    middle = roster.read_bytes()
    result = cli(
        "record", "filing", "dept_cdo_annual_report", "-u", "公安局".join(["市", ""]),
        "--period", "2023", "--date", "2023-12-20", "--note", "普公〔2023〕9号",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    backups = _backups(roster.parent)
    assert sorted(b.read_bytes() for b in backups) == sorted([before, middle])
    assert (
        "{obligation: dept_cdo_annual_report, period: 2023, date: 2023-12-20, note: 普公〔2023〕9号}"
        in (roster.read_text(encoding="utf-8"))
    )


def test_record_filing_dry_run_and_repeat_write_nothing(cli: Any, roster: Path) -> None:
    dry = cli(
        "record",
        "filing",
        "dept_contact_form",
        "-u",
        "市公安局",
        "--date",
        "2023-10-28",
        "--dry-run",
    )
    assert dry.exit_code == 0 and "（--dry-run：检查通过，未写入）" in dry.stdout
    assert roster.read_text(encoding="utf-8") == ROSTER and not _backups(roster.parent)
    again = cli(
        "record", "filing", "city_contact_form", "-u", "普宁市人民政府", "--date", "2023-10-25"
    )
    assert again.exit_code == 0
    assert "“普宁市人民政府”已有这条报送记录，名册未改动。" in again.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER and not _backups(roster.parent)


def test_record_filing_unknown_obligation_as_validate_says_it(
    cli: Any, roster: Path, write: Any
) -> None:
    result = cli("record", "filing", "dept_contact_from", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 2
    assert "错误：“dept_contact_from”不是本方案的事项" in result.stderr
    assert "提示：是否应为：dept_contact_form" in result.stderr
    write(
        "other.yaml",
        ROSTER.replace(
            "filings: []", "filings: [{obligation: dept_contact_from, date: 2023-10-28}]"
        ),
    )
    finding = next(
        f for f in json.loads(cli("validate", "other.yaml", "-f", "json").stdout)["findings"]
        if f["code"] == "obligation-unknown"
    )  # fmt: skip
    assert f"错误：{finding['message']}\n提示：{finding['hint']}" in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_record_filing_before_the_scheme_is_refused_as_validate(
    cli: Any, roster: Path, write: Any
) -> None:
    result = cli("record", "filing", "dept_contact_form", "-u", "市公安局", "--date", "2023-10-01")
    assert result.exit_code == 1
    line = "错误  报送日期 2023-10-01 早于方案印发日期 2023-10-24  [filing-before-issue]"
    assert "修改后的名册会有以下错误，未写入" in result.stderr and line in result.stderr
    write(
        "other.yaml",
        ROSTER.replace(
            "filings: []", "filings: [{obligation: dept_contact_form, date: 2023-10-01}]"
        ),
    )
    assert line in cli("validate", "other.yaml").stdout
    assert roster.read_text(encoding="utf-8") == ROSTER and not _backups(roster.parent)


def test_record_filing_not_owed_is_refused(cli: Any, roster: Path) -> None:
    result = cli("record", "filing", "city_contact_form", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 1
    assert "“市公安局”不承担“市政府报送工作联系人名单（附件1）”" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-u", "市公安厅", "--date", "2023-10-28"], "提示：是否应为：市公安局？"),
        (["-u", "市公安局", "--date", "2023-02-30"], "日期无效：2023-02-30"),
        (["-u", "市公安局", "--date", "2023-10-28", "--period", "99"], "--period 的值无效"),
    ],
)
def test_record_filing_bad_names_exit_2(
    cli: Any, roster: Path, args: list[str], message: str
) -> None:
    result = cli("record", "filing", "dept_contact_form", *args)
    assert result.exit_code == 2 and message in result.stderr


# ---------------------------------------------------------------- record appoint and history


def test_record_appoint_keeps_the_old_holder_in_history(cli: Any, roster: Path) -> None:
    result = cli(
        "record", "appoint", "--unit", "市公安局", "--role", "dept_cdo", "--name", "王二",
        "--title", "局长", "--phone", "13800138009", "--date", "2024-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "~ 市直部门首席数据官：张三 → 王二（张三 移入历史）" in result.stdout
    assert "      联系电话：0663-8888888 → 13800138009" in result.stdout
    text = roster.read_text(encoding="utf-8")
    assert (
        "      dept_cdo: {name: 王二, title: 局长, phone: '13800138009', appointed: 2024-03-01}"
        in text
    )
    assert "# 现任" in text and "# 部门" in text
    history = cli("history", "--unit", "市公安局")
    assert history.exit_code == 0
    assert (
        "    张三  副局长  2023-10-30 至 2024-03-01\n    王二  局长  2024-03-01 起（现任）\n"
        in history.stdout
    )
    data = json.loads(cli("history", "--name", "张三", "--format", "json").stdout)
    assert [
        (i["unit"], i["role"], i["appointed"], i["ended"], i["current"]) for i in data["items"]
    ] == [("市公安局", "dept_cdo", "2023-10-30", "2024-03-01", False)]
    assert cli("validate", "roster.yaml").exit_code == 0


def test_record_appoint_the_same_person_updates_what_is_given(cli: Any, roster: Path) -> None:
    result = cli(
        "record", "appoint", "-u", "市公安局", "--role", "dept_cdo", "--name", "张三",
        "--phone", "13800138010", "--date", "2024-05-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "~ 市直部门首席数据官 张三：\n      联系电话：0663-8888888 → 13800138010\n" in result.stdout
    )
    assert "history" not in roster.read_text(encoding="utf-8")
    assert "appointed: 2023-10-30" in roster.read_text(encoding="utf-8")


def test_record_appoint_in_a_post_for_several(cli: Any, roster: Path) -> None:
    args = ["record", "appoint", "-u", "市公安局", "--role", "support_data", "--date", "2024-03-01"]
    added = cli(*args, "--name", "钱八", "--qualification", "统计学专业")
    assert added.exit_code == 0 and "+ 数据岗位：钱八" in added.stdout
    replaced = cli(*args, "--name", "孙九", "--qualification", "数学专业", "--replace", "钱七")
    assert replaced.exit_code == 0 and "钱七 → 孙九（钱七 移入历史）" in replaced.stdout
    history = cli("history", "-u", "市公安局").stdout
    assert "钱七  科员  ？ 至 2024-03-01" in history and "钱八  2024-03-01 起（现任）" in history
    missing = cli(*args, "--name", "周十", "--replace", "无此人")
    assert missing.exit_code == 2
    assert "名册中“市公安局”的“数据岗位”没有“无此人”" in missing.stderr
    assert "提示：现任：孙九、钱八" in missing.stderr  # 孙九 took 钱七's place


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (["--date", "2023-01-01"], "任命日期 2023-01-01 早于方案印发日期 2023-10-24  [appointed-before-issue]"),
        (["--date", "2024-03-01", "--phone", "12345"], "“12345”不是有效的电话号码  [phone-invalid]"),
    ],
)  # fmt: skip
def test_record_appoint_refuses_what_validate_rejects(
    cli: Any, roster: Path, extra: list[str], line: str
) -> None:
    result = cli(
        "record", "appoint", "-u", "市公安局", "--role", "dept_cdo", "--name", "王二", *extra
    )
    assert result.exit_code == 1 and line in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER and not _backups(roster.parent)


def test_record_appoint_roles_by_id_or_name(cli: Any, roster: Path) -> None:
    unknown = cli(
        "record",
        "appoint",
        "-u",
        "市公安局",
        "--role",
        "dept_cdx",
        "--name",
        "甲",
        "--date",
        "2024-03-01",
    )
    assert unknown.exit_code == 2
    assert "错误：“dept_cdx”不是本方案的职位\n提示：是否应为：dept_cdo" in unknown.stderr
    wrong = cli(
        "record",
        "appoint",
        "-u",
        "市公安局",
        "--role",
        "city_cdo",
        "--name",
        "甲",
        "--date",
        "2024-03-01",
    )
    assert (
        wrong.exit_code == 2
        and "政府部门“市公安局”不设“市政府首席数据官”（city_cdo）" in wrong.stderr
    )
    by_name = cli(
        "record", "appoint", "-u", "市公安局", "--role", "工作联系人", "--name", "李四",
        "--title", "副科长", "--date", "2024-03-01",
    )  # fmt: skip
    assert by_name.exit_code == 0, by_name.output
    assert (
        "~ 工作联系人 李四：\n      职务：科长 → 副科长\n      任命日期：（空） → 2024-03-01\n"
        in (by_name.stdout)
    )


def test_history_refusals_and_nothing_found(cli: Any, roster: Path) -> None:
    assert cli("history", "-u", "市公安厅").exit_code == 2
    nobody = cli("history", "--name", "无此人")
    assert nobody.exit_code == 0 and "roster.yaml：没有符合条件的任职记录。" in nobody.stdout
    assert cli("history", "--format", "xml").exit_code == 2


# ---------------------------------------------------------------- the roster file itself


def test_record_without_a_roster(cli: Any) -> None:
    result = cli("record", "filing", "dept_contact_form", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 2 and "没有名册：当前文件夹没有 roster.yaml" in result.stderr
    gone = cli("history", "--roster", "无.yaml")
    assert gone.exit_code == 2 and "无.yaml: 文件不存在" in gone.stderr


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_record_read_only_roster_is_left_alone(cli: Any, roster: Path) -> None:
    roster.chmod(0o444)
    result = cli("record", "filing", "dept_contact_form", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 2 and "roster.yaml 是只读文件，未修改" in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER and not _backups(roster.parent)


@pytest.mark.parametrize(
    ("meanwhile", "message"),
    [
        (lambda p: p.unlink(), "roster.yaml: 文件已不存在（读取后被删除或移动），未写入"),
        (
            lambda p: p.write_text(ROSTER + "# 别人加的\n", encoding="utf-8"),
            "在 cdo 读取之后被其他程序修改了",
        ),
    ],
)
def test_record_roster_gone_or_changed_before_writing(
    cli: Any, roster: Path, monkeypatch: pytest.MonkeyPatch, meanwhile: Any, message: str
) -> None:
    from cdo_cli.roster_edit import Ledger

    propose = Ledger.propose

    def propose_then_meddle(self: Ledger) -> Any:
        found = propose(self)
        meanwhile(self.path)
        return found

    monkeypatch.setattr(Ledger, "propose", propose_then_meddle)
    result = cli("record", "filing", "dept_contact_form", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 2 and message in result.stderr
    assert not _backups(roster.parent)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_record_never_writes_through_a_link(cli: Any, roster: Path) -> None:
    (roster.parent / "link.yaml").symlink_to(roster)
    result = cli(
        "record",
        "filing",
        "dept_contact_form",
        "-u",
        "市公安局",
        "--date",
        "2023-10-28",
        "-r",
        "link.yaml",
    )
    assert result.exit_code == 2 and "link.yaml 是符号链接" in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_record_roster_of_unknown_scheme_or_anchors(cli: Any, write: Any) -> None:
    write("roster.yaml", "scheme: shantou\nunits: {}\n")
    result = cli("record", "filing", "x", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 1 and "没有名为“shantou”的方案" in result.stderr
    write("roster.yaml", "scheme: puning\nunits:\n  市公安局: &a {}\n  市教育局: *a\n")
    result = cli("record", "filing", "dept_contact_form", "-u", "市公安局", "--date", "2023-10-28")
    assert result.exit_code == 2 and "锚点或别名" in result.stderr


# ---------------------------------------------------------------- cdo import


class _Files(dict[str, Any]):
    """File name -> what the stand-in reader returns for it; the file is made too."""

    def __setitem__(self, name: str, value: Any) -> None:
        Path(name).write_bytes(b"PK")
        super().__setitem__(name, value)


@pytest.fixture
def readers(cli: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stand-in readers: what each file name "contains" (an ImportedFile or an error)."""
    files = _Files()

    def read(path: Path, registry: object, *, scheme_id: str | None = None) -> ImportedFile:
        assert scheme_id == "puning"  # the roster's scheme
        found = files[path.name]
        if isinstance(found, Exception):
            raise found
        assert isinstance(found, ImportedFile)
        return found

    monkeypatch.setitem(sys.modules, "cdo_cli.form_reading", types.SimpleNamespace(read_docx=read))
    monkeypatch.setitem(
        sys.modules, "cdo_cli.sheet_reading", types.SimpleNamespace(read_sheet=read)
    )
    return files


def _form(name: str, unit: str, cdo: str, phone: str = "13800138001") -> ImportedFile:
    where = Where(name, "表格1", 3)
    return ImportedFile(
        path=name,
        scheme="puning",
        form="attachment2",
        people=[
            PersonRecord(unit, "dept_cdo", {"name": cdo, "title": "副局长", "phone": phone}, where)
        ],
        filings=[FilingRecord(unit, "dept_cdo_plan", dt.date(2023, 10, 29), where)],
        units=[unit],
    )


def test_import_previews_then_writes_then_changes_nothing(
    cli: Any, roster: Path, readers: dict[str, Any]
) -> None:
    readers["附件2-市公安局.docx"] = _form("附件2-市公安局.docx", "市公安局", "王二")
    preview = cli("import", "附件2-市公安局.docx")
    assert preview.exit_code == 0, preview.output
    assert (
        "~ 市直部门首席数据官：张三 → 王二（张三 移入历史）  ← 附件2-市公安局.docx 表格1 第 3 行"
        in preview.stdout
    )
    # The form speaks for the CDO and the contact; the contact is not on it: removed.
    assert "- 工作联系人：李四（科长，13912345678）（移入历史）" in preview.stdout
    assert roster.read_text(encoding="utf-8") == ROSTER
    written = cli("import", "附件2-市公安局.docx", "--write", "--date", "2024-03-01")
    assert written.exit_code == 0, written.output
    assert "已写入 roster.yaml" in written.stdout and len(_backups(roster.parent)) == 1
    after = roster.read_bytes()
    again = cli("import", "附件2-市公安局.docx", "--write")
    assert again.exit_code == 0 and "roster.yaml：没有需要修改的内容。" in again.stdout
    assert roster.read_bytes() == after and len(_backups(roster.parent)) == 1
    history = cli("history", "-u", "市公安局").stdout
    assert (
        "张三  副局长  2023-10-30 至 2024-03-01" in history
        and "李四  科长  ？ 至 2024-03-01" in history
    )
    # The successor took the post the day the predecessor left (one 任免文件).
    assert "王二  副局长  2024-03-01 起（现任）" in history


def test_import_without_date_leaves_the_successors_start_open(
    cli: Any, roster: Path, readers: dict[str, Any]
) -> None:
    readers["附件2-市公安局.docx"] = _form("附件2-市公安局.docx", "市公安局", "王二")
    assert cli("import", "附件2-市公安局.docx", "--write").exit_code == 0
    history = cli("history", "-u", "市公安局").stdout
    assert "王二  副局长  现任" in history  # today is the predecessor's end, not a guess here


def test_import_conflict_stops_the_write(cli: Any, roster: Path, readers: dict[str, Any]) -> None:
    readers["甲.docx"] = _form("甲.docx", "市公安局", "王二")
    readers["乙.xlsx"] = _form("乙.xlsx", "市公安局", "赵四")
    result = cli("import", "甲.docx", "乙.xlsx", "--write")
    assert result.exit_code == 1
    assert "冲突（不会写入）：" in result.stdout
    assert (
        "市公安局 市直部门首席数据官：姓名“王二”/“赵四”，分别见 甲.docx 表格1 第 3 行 和 乙.xlsx 表格1 第 3 行"
        in (result.stdout)
    )
    assert "有冲突或无法导入的内容，名册未改动" in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER
    assert cli("import", "甲.docx", "乙.xlsx").exit_code == 0  # a preview only shows


def test_import_unknown_unit_is_suggested(cli: Any, roster: Path, readers: dict[str, Any]) -> None:
    readers["表.csv"] = _form("表.csv", "市公安厅", "王二")
    result = cli("import", "表.csv")
    assert result.exit_code == 0
    assert (
        "无法导入：\n  ! 表.csv：“市公安厅”不是普宁市方案范围内的单位\n    提示：是否应为：市公安局？"
        in result.stdout
    )
    assert cli("import", "表.csv", "--write").exit_code == 1
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_json_preview(cli: Any, roster: Path, readers: dict[str, Any]) -> None:
    readers["a.xlsx"] = _form("a.xlsx", "市公安局", "张三", phone="13800138002")
    result = cli("import", "a.xlsx", "--format", "json")
    data = json.loads(result.stdout)
    person = next(c for c in data["changes"] if c["kind"] == "person" and c["role"] == "dept_cdo")
    assert person["action"] == "changed" and not person["to_history"]
    assert person["fields"] == [
        {"field": "phone", "label": "联系电话", "old": "0663-8888888", "new": "13800138002"}
    ]
    assert person["source"] == "a.xlsx 表格1 第 3 行"
    filing = next(c for c in data["changes"] if c["kind"] == "filing")
    assert filing == {
        "unit": "市公安局", "kind": "filing", "action": "added", "obligation": "dept_cdo_plan",
        "period": None, "date": "2023-10-29", "note": None, "source": "a.xlsx 表格1 第 3 行",
    }  # fmt: skip


def test_import_bad_files(cli: Any, roster: Path, readers: dict[str, Any], write: Any) -> None:
    readers["好.docx"] = _form("好.docx", "市公安局", "王二")
    readers["坏.docx"] = UnreadableError("坏.docx: 文件已损坏或有密码保护")
    readers["空.docx"] = ImportedFile("空.docx", scheme="puning", form="attachment2")
    preview = cli("import", "好.docx", "坏.docx", "空.docx")
    assert preview.exit_code == 2
    assert (
        "张三 → 王二" in preview.stdout
        and "错误：坏.docx: 文件已损坏或有密码保护" in preview.stderr
    )
    assert "空.docx：表格是空的，没有可导入的内容。" in preview.stderr
    written = cli("import", "好.docx", "坏.docx", "--write")
    assert written.exit_code == 2 and "有文件无法读取，名册未改动" in written.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER
    for name in ("旧.doc", "旧.xls", "笔记.txt"):
        write(name, "x")
    old = cli("import", "旧.doc")
    assert (
        old.exit_code == 2
        and "不能直接读取旧的 .doc 格式" in old.stderr
        and "另存为” .docx" in old.stderr
    )
    assert "soffice --headless --convert-to xlsx" in cli("import", "旧.xls").stderr
    other = cli("import", "笔记.txt")
    assert other.exit_code == 2 and "不能导入“.txt”类型的文件" in other.stderr
    assert "文件不存在" in cli("import", "无.docx").stderr


def test_import_without_the_readers_installed(
    cli: Any, roster: Path, write: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("表.docx", "x")
    monkeypatch.setitem(sys.modules, "cdo_cli.form_reading", None)  # type: ignore[arg-type]
    result = cli("import", "表.docx")
    assert result.exit_code == 2
    assert "这个版本的 cdo 还不能读取 .docx 文件（缺少 cdo_cli.form_reading）" in result.stderr


# ---------------------------------------------------------------- the roster format


@pytest.mark.parametrize(
    ("history", "code", "message"),
    [
        ("{role: dept_cdo, name: 甲, appointed: 2023-11-01, ended: 2023-10-30}", "history-dates",
         "卸任日期 2023-10-30 早于任命日期 2023-11-01"),
        ("{role: dept_cdo, name: 甲, ended: 2023-01-01}", "history-dates",
         "卸任日期 2023-01-01 早于方案印发日期 2023-10-24"),
        ("{role: dept_cdx, name: 甲, ended: 2023-12-01}", "role-unknown", "“dept_cdx”不是本方案的职位"),
        ("{role: city_cdo, name: 甲, ended: 2023-12-01}", "role-not-allowed", "不设“市政府首席数据官”"),
        ("{role: dept_cdo, name: 甲, appointed: 2022-01-01, ended: 2023-12-01}",
         "appointed-before-issue", "任命日期 2022-01-01 早于方案印发日期 2023-10-24"),
        ("{role: dept_cdo, name: 甲}", "roster-invalid", "ended"),
    ],
)  # fmt: skip
def test_validate_history(cli: Any, write: Any, history: str, code: str, message: str) -> None:
    write("roster.yaml", ROSTER + f"    history:\n      - {history}\n")
    result = cli("validate", "roster.yaml", "--format", "json")
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == code]
    assert found and message in found[0]["message"] + found[0]["path"][-1], result.stdout
    assert found[0]["line"] == 19


def test_init_and_schema_know_the_history(cli: Any) -> None:
    assert cli("init", "--scheme", "puning").exit_code == 0
    assert "#   history 记录卸任的人员" in Path("roster.yaml").read_text(encoding="utf-8")
    schema = json.loads(Path("puning.roster.schema.json").read_text(encoding="utf-8"))
    unit = schema["$defs"]["UnitEntry"]["properties"]
    assert unit["history"]["items"] == {"$ref": "#/$defs/PastHolder"}
    assert set(schema["$defs"]["PastHolder"]["required"]) == {"role", "ended"}
    # Puning's support posts end in 等: any post; Zhaoqing's are listed
    assert "enum" not in schema["$defs"]["PastHolder"]["properties"]["role"]
    zhaoqing = json.loads(cli("schema", "roster", "--scheme", "zhaoqing").stdout)
    assert "dept_cdo" in zhaoqing["$defs"]["PastHolder"]["properties"]["role"]["enum"]


# ---------------------------------------------------------------- with the real readers


def test_import_exported_workbook_changes_exactly_the_edit(cli: Any, roster: Path) -> None:
    import openpyxl

    assert cli("export", "-o", "名册.xlsx").exit_code == 0
    book = openpyxl.load_workbook("名册.xlsx")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("姓名")].value == "李四":
            row[header.index("联系电话")].value = "13900000000"
    added = dict.fromkeys(header)
    added.update(
        {"单位": "市教育局", "职位": "市直部门首席数据官", "姓名": "陈一", "职务": "副局长"}
    )
    sheet.append([added[h] for h in header])
    book.save("改.xlsx")
    result = cli("import", "改.xlsx", "--write")
    assert result.exit_code == 0, result.output
    assert "共 2 个单位：新增 1 人，修改 1 人，移除 0 人，报送记录 0 条" in result.stdout
    assert (
        roster.read_text(encoding="utf-8")
        == ROSTER.replace("phone: 13912345678}", "phone: '13900000000'}")
        + "  市教育局:\n    officers:\n      dept_cdo:\n        name: 陈一\n        title: 副局长\n"
    )
    assert "没有需要修改的内容" in cli("import", "改.xlsx", "--write").stdout


def test_import_rendered_form_filled_by_a_clerk(cli: Any, roster: Path) -> None:
    import docx

    assert cli("render", "attachment2", "--dept", "市教育局", "-o", "表.docx").exit_code == 0
    document = docx.Document("表.docx")
    table = document.tables[0]
    for row, values in (
        (2, ["", "陈一", "副局长", "13800138123"]),
        (5, ["办公室", "林二", "科长", "0663-2222333"]),
    ):
        for cell, value in zip(table.rows[row].cells, values, strict=True):
            if value:
                cell.text = value
    document.save("回收.docx")
    result = cli("import", "回收.docx", "--write")
    assert result.exit_code == 0, result.output
    entry = json.loads(cli("history", "-u", "市教育局", "-f", "json").stdout)["items"]
    assert [(i["role"], i["name"], i["phone"]) for i in entry] == [
        ("dept_cdo", "陈一", "13800138123"),
        ("dept_contact", "林二", "0663-2222333"),
    ]


def test_import_of_a_redacted_copy_keeps_the_rosters_phones(cli: Any, roster: Path) -> None:
    """A 公开版 copy (render --redact) sent back: its masked phones are not data."""
    import docx

    result = cli("render", "attachment2", "--dept", "市公安局", "--redact", "-o", "公开.docx")
    assert result.exit_code == 0, result.output
    document = docx.Document("公开.docx")
    texts = [c.text for row in document.tables[0].rows for c in row.cells]
    assert any("****" in t for t in texts)  # masked on the page
    preview = cli("import", "公开.docx")
    assert preview.exit_code == 0, preview.output
    assert "roster.yaml：没有需要修改的内容。" in preview.stdout
    assert "这是公开版（电话、邮箱已遮盖），遮盖的电话、邮箱未导入" in preview.stderr
    # A phone typed over the mask is read.
    for row in document.tables[0].rows:
        for cell in row.cells:
            if "****" in cell.text and cell.text.startswith("139"):
                cell.text = "13912340000"
    document.save("公开-改.docx")
    changed = cli("import", "公开-改.docx")
    assert "13912345678 → 13912340000" in changed.stdout, changed.stdout


# ---------------------------------------------------------------- posts beyond a list ending in 等

UNLISTED = (
    "“网络安全岗位”不是文件所列的岗位；文件所列为“规划岗位、数据岗位、政务信息化项目管理岗位等”，"
    "可另设同类岗位  [role-unlisted]"
)


def test_record_appoint_a_post_beyond_the_list(cli: Any, roster: Path) -> None:
    """Puning's support posts end in 等: another is written, with validate's warning."""
    args = ["record", "appoint", "--unit", "市公安局", "--role", "网络安全岗位", "--name", "周九",
            "--title", "科员", "--date", "2024-01-05"]  # fmt: skip
    dry = cli(*args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "请核对（不影响写入）" in dry.stdout and UNLISTED in dry.stdout
    assert "网络安全岗位" not in roster.read_text(encoding="utf-8")
    done = cli(*args)
    assert done.exit_code == 0, done.output
    assert "+ 网络安全岗位：周九（科员）" in done.stdout and "已写入" in done.stdout
    assert (
        "      网络安全岗位: {name: 周九, title: 科员, appointed: 2024-01-05}\n"
        in roster.read_text(encoding="utf-8")
    )
    checked = cli("validate", "roster.yaml")
    assert UNLISTED in checked.stdout  # the same words
    # a second person joins: such a post has no upper limit; the first stays
    cli("record", "appoint", "--unit", "市公安局", "--role", "网络安全岗位", "--name", "吴十",
        "--date", "2024-02-01")  # fmt: skip
    history = cli("history", "--unit", "市公安局").stdout
    assert "  网络安全岗位\n    周九  科员  2024-01-05 起（现任）" in history
    assert "吴十" in history


@pytest.mark.parametrize(
    ("unit", "post", "words"),
    [
        (
            "普宁市人民政府",
            "网络安全岗位",
            "本单位可设的职位：city_cdo（市政府首席数据官）、city_contact（工作联系人）",
        ),  # not in the list's scope
        ("市公安局", "数据岗", "“数据岗”不是本方案的职位"),  # a near miss of 数据岗位 is a typo
        ("市公安局", "局长", "之外可另设同类岗位：名称以“岗位”结尾，或 id 以 support_ 开头"),
    ],
)
def test_record_appoint_refuses_what_is_no_post_of_the_kind(
    cli: Any, roster: Path, unit: str, post: str, words: str
) -> None:
    result = cli("record", "appoint", "--unit", unit, "--role", post, "--name", "周九",
                 "--date", "2024-01-05")  # fmt: skip
    assert result.exit_code == 2
    assert words in result.stderr and "Traceback" not in result.output


def test_validate_names_the_kind_of_post_a_list_allows(cli: Any, write: Any) -> None:
    write("r.yaml", "scheme: puning\nunits:\n  市公安局:\n    officers:\n"
          "      局长: {name: 周九}\n      数据岗: {name: 吴十}\n      support_security: {name: 郑一}\n")  # fmt: skip
    findings = json.loads(cli("validate", "r.yaml", "--format", "json").stdout)["findings"]
    codes = {
        f["path"][-1]: (f["code"], f["hint"])
        for f in findings
        if f["path"][:3] == ["units", "市公安局", "officers"]
    }
    assert codes["局长"][0] == "role-unknown" and "名称以“岗位”结尾" in codes["局长"][1]
    assert codes["数据岗"][0] == "role-unknown"
    assert codes["support_security"][0] == "role-unlisted"


def test_import_a_post_beyond_the_list(cli: Any, roster: Path, write: Any) -> None:
    write("汇总.csv", "单位,职位,姓名,职务,联系电话\n"
          "市公安局,网络安全岗位,周九,科员,13800138000\n"
          "市公安局,局长,吴十,局长,13800138001\n"
          "普宁市人民政府,网络安全岗位,郑一,科员,13800138002\n")  # fmt: skip
    shown = cli("import", "汇总.csv")
    assert shown.exit_code == 0, shown.output
    assert "+ 网络安全岗位：周九（科员，13800138000）  ← 汇总.csv 第 2 行" in shown.stdout
    assert f"? 汇总.csv 第 2 行：警告  {UNLISTED}" in shown.stdout
    assert "汇总.csv 第 3 行：职位“局长”不是普宁市方案中的职位，这一行未导入。" in shown.stderr
    assert "汇总.csv 第 4 行：职位“网络安全岗位”不是普宁市方案中的职位" in shown.stderr
    data = json.loads(cli("import", "汇总.csv", "--format", "json").stdout)
    assert [(w["code"], w["source"]) for w in data["warnings"]] == [
        ("role-unlisted", "汇总.csv 第 2 行")
    ]
    written = cli("import", "汇总.csv", "--write")
    assert written.exit_code == 0, written.output
    assert "周九" in roster.read_text(encoding="utf-8")
    again = cli("import", "汇总.csv")
    assert "没有需要修改的内容" in again.stdout


def test_export_and_import_keep_a_post_beyond_the_list(cli: Any, roster: Path) -> None:
    cli("record", "appoint", "--unit", "市公安局", "--role", "网络安全岗位", "--name", "周九",
        "--phone", "13800138000", "--date", "2024-01-05")  # fmt: skip
    assert cli("export", "-o", "名册.xlsx").exit_code == 0
    import openpyxl

    book = openpyxl.load_workbook("名册.xlsx")
    rows = [[c.value for c in r] for r in book["人员"].iter_rows()]
    [row] = [r for r in rows if r[1] == "网络安全岗位"]
    assert row[:3] == ["市公安局", "网络安全岗位", "周九"]
    rule = next(v for v in book["人员"].data_validations.dataValidation if "B2" in str(v.sqref))
    assert rule.errorStyle == "warning" and "等" in rule.error
    assert "没有需要修改的内容" in cli("import", "名册.xlsx").stdout
    row_number = rows.index(row) + 1
    book["人员"].cell(row=row_number, column=6).value = "13900139000"
    book.save("名册.xlsx")
    changed = cli("import", "名册.xlsx")
    assert (
        "~ 网络安全岗位 周九：" in changed.stdout and "13800138000 → 13900139000" in changed.stdout
    )
