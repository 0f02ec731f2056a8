"""Resumption policy: the prevention checklist, attachments, routes per risk level, deadlines.

Defaults follow 国发明电〔2020〕4号 (prevention measures) and 国办发明电〔2020〕6号 (one window,
parallel handling, an answer within 2 working days, commitment-based approval for low risk).
"""

from django.utils.translation import gettext_lazy as _

from fugong.policy.registry import Field, register

DEFAULT_CHECKLIST = [
    {
        "code": "entrance_guard",
        "label_zh": "每个出入口有专人负责",
        "label_en": "A named person responsible for each entrance",
        "kind": "bool",
        "required": True,
    },
    {
        "code": "temperature_checks",
        "label_zh": "出入口体温检测,体温正常方可进入",
        "label_en": "Temperature checks at every entrance, entry only with normal temperature",
        "kind": "bool",
        "required": True,
    },
    {
        "code": "isolation_rooms",
        "label_zh": "隔离观察室(间)",
        "label_en": "Isolation observation rooms",
        "kind": "number",
        "required": 1,
        "per_staff": 100,
    },
    {
        "code": "supplies_days",
        "label_zh": "口罩、体温计、消毒液储备(天)",
        "label_en": "Masks, thermometers and disinfectant in stock (days)",
        "kind": "number",
        "required": 3,
    },
    {
        "code": "staggered_meals",
        "label_zh": "食堂错峰就餐、避免面对面",
        "label_en": "Staggered canteen meals, no face-to-face seating",
        "kind": "bool",
        "required": True,
    },
    {
        "code": "dorm_people_per_room",
        "label_zh": "宿舍每间最多人数(无宿舍填0)",
        "label_en": "Dormitory: most people per room (0 if no dormitory)",
        "kind": "number",
        "required": 6,
        "comparison": "max",
    },
    {
        "code": "dorm_area_per_person",
        "label_zh": "宿舍人均面积(平方米,无宿舍填0)",
        "label_en": "Dormitory: area per person in m² (0 if no dormitory)",
        "kind": "number",
        "required": 2.5,
        "zero_allowed": True,
    },
    {
        "code": "shuttle_disinfection",
        "label_zh": "通勤班车每日消毒(或无班车)",
        "label_en": "Shuttles disinfected daily (or no shuttle)",
        "kind": "bool",
        "required": True,
    },
    {
        "code": "fever_hotline",
        "label_zh": "设立发热报告电话",
        "label_en": "A fever reporting line",
        "kind": "bool",
        "required": True,
    },
    {
        "code": "principal_responsible",
        "label_zh": "主要负责人为第一责任人",
        "label_en": "The principal leader is the first responsible person",
        "kind": "bool",
        "required": True,
    },
]

DEFAULT_ATTACHMENT_KINDS = [
    {"code": "prevention_plan", "label_zh": "疫情防控方案", "label_en": "Prevention plan"},
    {"code": "staff_register", "label_zh": "员工花名册", "label_en": "Staff register"},
    {
        "code": "supplies_inventory",
        "label_zh": "防疫物资清单",
        "label_en": "Protective supplies inventory",
    },
    {"code": "other", "label_zh": "其他材料", "label_en": "Other document"},
]

RISK_LEVELS = (("low", _("Low risk")), ("medium", _("Medium risk")), ("high", _("High risk")))

RESUMPTION = register(
    "resumption",
    title=_("Resumption of work"),
    description=_(
        "The prevention checklist an application must satisfy, the attachments it needs, which "
        "approval route applies at each district risk level, and the deadlines in working days."
    ),
    fields={
        "checklist": Field(
            DEFAULT_CHECKLIST,
            _("Prevention checklist"),
            help=_(
                "Items with code, label_zh, label_en, kind (bool or number) and required "
                "(true, or the threshold; comparison max makes it a ceiling; per_staff raises "
                "the threshold to one per that many staff)."
            ),
        ),
        "attachment_kinds": Field(DEFAULT_ATTACHMENT_KINDS, _("Attachment kinds")),
        "required_attachments": Field([], _("Attachments required at submission (kind codes)")),
        "default_risk_level": Field(
            "low", _("Risk level of districts not listed"), choices=RISK_LEVELS
        ),
        "district_risk_levels": Field(
            {}, _("Risk level per district code"), help=_('e.g. {"440604": "medium"}')
        ),
        "route_by_risk": Field(
            {"low": "commitment", "medium": "standard", "high": "standard"},
            _("Approval route per risk level (standard or commitment)"),
        ),
        "decision_working_days": Field(
            2, _("Decision deadline (working days after submission)"), minimum=1, maximum=30
        ),
        "inspection_working_days": Field(
            5,
            _("On-site inspection after a commitment approval (working days)"),
            minimum=1,
            maximum=60,
        ),
        "rectification_working_days": Field(
            3, _("Rectification deadline (working days)"), minimum=1, maximum=60
        ),
    },
)
