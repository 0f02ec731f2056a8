from django.utils.translation import gettext_lazy as _

from fugong.policy.registry import Field, register

SCALE = register(
    "scale",
    title=_("Enterprise scale classes"),
    description=_(
        "Thresholds of annual main revenue (10,000 yuan) that make an enterprise above-scale "
        "industrial (规模以上工业) or above-quota trade/catering (限额以上)."
    ),
    fields={
        "industrial_sections": Field(["B", "C", "D"], _("Industrial sections (GB/T 4754)")),
        "industrial_min_revenue": Field(2000, _("Above-scale industrial: minimum revenue")),
        "wholesale_divisions": Field(["51"], _("Wholesale divisions")),
        "wholesale_min_revenue": Field(2000, _("Above-quota wholesale: minimum revenue")),
        "retail_divisions": Field(["52"], _("Retail divisions")),
        "retail_min_revenue": Field(500, _("Above-quota retail: minimum revenue")),
        "catering_divisions": Field(["61", "62"], _("Accommodation and catering divisions")),
        "catering_min_revenue": Field(
            200, _("Above-quota accommodation/catering: minimum revenue")
        ),
    },
)
