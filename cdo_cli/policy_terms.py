"""The scheme file's words in Chinese: what each allowed value means, how each key is written.

Messages for scheme authors name allowed values with these labels ("government（本级政府）"),
and say how a key is written when it is missing or of the wrong type. The guide
(docs/方案编写指南.md) explains the same values; a test keeps the two in step.
"""

from __future__ import annotations

from .policy import KIND_LABELS

# Every value a Literal or an Enum of the policy model allows, in Chinese. A value that
# means different things in two fields is also given as ``field.value``, which is looked
# up first.
VALUE_LABELS: dict[str, str] = {
    **{kind.value: label for kind, label in KIND_LABELS.items()},
    # Role.category
    "officer": "首席数据官等职务",
    "contact": "工作联系人",
    "field.contact": "联系方式",
    "support": "支撑团队岗位",
    # Role.eligibility_rule
    "none": "不检查",
    "leadership": "领导",
    "deputy_or_above": "行政副职及以上领导",
    "leadership_team": "领导班子成员",
    "principal": "主要领导、正职",
    # Obligation.deliverable
    "form": "附件表格",
    "plan": "实施方案",
    "report": "报告",
    "summary": "工作总结",
    "appointment": "任命、设立职位",
    "task": "工作任务",
    "kind.task": "主要任务",
    # FormSection.kind
    "unit_role": "本单位某职位的人员",
    "role_list": "各单位某职位的人员汇总",
    "unit_list": "单位名单",
    # Column.field
    "unit": "单位名称",
    "index": "序号",
    "name": "姓名",
    "title": "职务",
    "phone": "电话",
    "email": "电子邮箱",
    "office": "科室、股室",
    # Entry.kind
    "meeting": "会议制度",
    "evaluation": "监督评估",
    "communication": "沟通联络",
    "other": "其他",
    # Due.every
    "year": "每年",
}

_SELECTOR = "选择单位写成键值对，如 {units: [市公安局]}、{tags: [listed]} 或 {kinds: [department], pilot: true}"
_SOURCE = "出处写成 source: {section: 条款（如“二（一）”）, quote: 从原文逐字复制的一句}"

# How a key is written, for a message about a missing key or a value of the wrong type.
KEY_HINTS: dict[str, str] = {
    "source": _SOURCE,
    "applies_to": _SELECTOR,
    "owed_by": _SELECTOR,
    "units": "方案的 units 是单位列表，每个单位一项，以“- ”开头；选择条件中的 units 是单位全称的列表，"
    "如 units: [市公安局]；附件栏目的 units 是选择条件，如 units: {tags: [listed]}",
    "holders": "人数写成 holders: {min: 1, max: 1}；文件未规定上限写 max: null",
    "due": "一次性期限写成 due: {date: 2024-06-30, text: 2024年6月30日前}；"
    "每年一次写成 due: {every: year, month: 12, day: 31, first_period: 2024, text: 每年年底前}",
    "document": "document 写文件本身：title、issuer、issued、source 必填",
    "issued": "印发日期写成 YYYY-MM-DD，见文件落款",
    "kind": "单位类别，如 kind: department",
    "category": "职位类别：officer、contact 或 support",
    "required": "必设写 true，可设写 false",
    "deliverable": "报送的是什么：form、plan、report、summary、appointment 或 task",
    "sections": "附件的栏目列表，每栏写 kind 和 columns",
    "columns": "表格列的列表，如 - {header: 姓名, field: name}",
    "roles": "职位列表，每个职位写 id、name、category、applies_to、required、holders、source",
    "id": "id 只能用小写字母、数字和下划线，以字母开头，如 dept_cdo",
}
