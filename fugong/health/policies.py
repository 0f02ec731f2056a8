"""Health status rules: every threshold and duration is policy data edited at /policy/."""

from django.utils.translation import gettext_lazy as _

from fugong.policy.registry import Field, register

# The automatic reminder goes out on a quarter hour (Asia/Shanghai), chosen from this list.
REMINDER_TIMES = tuple(
    (f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(5, 23) for m in (0, 15, 30, 45)
)

HEALTH = register(
    "health",
    title=_("Health status rules"),
    description=_(
        "How a daily check-in turns into a green, yellow or red status and whether the person "
        "may work on site."
    ),
    on_change="health.judge_again",
    fields={
        "fever_threshold": Field(37.3, _("Fever threshold (°C)"), minimum=37.0, maximum=38.5),
        "fever_at_threshold": Field(
            True,
            _("A reading equal to the threshold is fever"),
            help=_("Untick to count only readings above the threshold as fever."),
        ),
        "quarantine_days": Field(
            14,
            _("Quarantine after arriving from a medium/high-risk area (days)"),
            minimum=0,
            maximum=60,
        ),
        "close_contact_days": Field(
            14,
            _("Observation of a close contact from the last contact (days)"),
            minimum=0,
            maximum=60,
        ),
        "missed_days_allowed": Field(
            2,
            _("Days without a check-in allowed before the status turns yellow"),
            minimum=0,
            maximum=30,
        ),
        "same_temperature_days": Field(
            7,
            _("Flag a person reporting the same temperature this many days in a row"),
            minimum=2,
            maximum=60,
        ),
        "same_second_people": Field(
            5,
            _("Flag identical submissions by this many people within the same second"),
            minimum=2,
            maximum=1000,
        ),
        "case_days_back": Field(
            365,
            _("How many days back a case may be dated"),
            help=_("A case or a contact from longer ago is refused as a typing error."),
            minimum=30,
            maximum=3650,
        ),
        "backdate_days": Field(
            3, _("How many days back a check-in may be dated"), minimum=0, maximum=14
        ),
        "reminder_enabled": Field(
            True,
            _("Remind employees who have not checked in, automatically every day"),
            help=_(
                "Employees with a login who have not checked in by the reminder time are "
                "notified once a day; their enterprise admins are told how many were reminded."
            ),
        ),
        "reminder_time": Field(
            "09:30",
            _("Time of the automatic reminder (Beijing time)"),
            choices=REMINDER_TIMES,
        ),
    },
)
