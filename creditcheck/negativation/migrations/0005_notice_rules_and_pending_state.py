"""The per-UF notice days move to notices.StateNoticeRule (with the rest of each UF's rule); a
negativação waits in "notice_pending" until a notice meets its UF's rule and records it."""

import django.db.models.deletion
from django.db import migrations, models

MIGRATED_SOURCE = "Prazo migrado da configuração anterior (prazo de comunicado por UF). "


def copy_notice_days(apps, schema_editor):
    """Keep every UF's configured days: the rest of the rule is that UF's shipped default."""
    from creditcheck.notices.rules import DEFAULT_RULES

    period = apps.get_model("negativation", "NoticePeriod")
    rule = apps.get_model("notices", "StateNoticeRule")
    for row in period.objects.all():
        default = DEFAULT_RULES[row.state]
        if row.days == default.days:
            continue  # the shipped default says the same
        rule.objects.update_or_create(
            state=row.state,
            defaults={
                "days": row.days,
                "business_days": default.business_days,
                "channels_without_consent": list(default.channels_without_consent),
                "channels_with_consent": list(default.channels_with_consent),
                "contents": list(default.contents),
                "source": MIGRATED_SOURCE + default.source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("negativation", "0004_negativation_inclusion_reason"),
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_notice_days, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='NoticePeriod',
        ),
        migrations.RemoveConstraint(
            model_name='negativation',
            name='one_live_negativation_per_invoice',
        ),
        migrations.AddField(
            model_name='negativation',
            name='notice',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='negativations', to='notices.notice', verbose_name='comunicado que cumpriu a regra'),
        ),
        migrations.AddField(
            model_name='negativation',
            name='notice_met_on',
            field=models.DateField(blank=True, null=True, verbose_name='prazo do comunicado cumprido em'),
        ),
        migrations.AlterField(
            model_name='negativation',
            name='status',
            field=models.CharField(choices=[('notice_pending', 'Aguardando prazo do comunicado'), ('requested', 'Solicitada'), ('sent', 'Enviada'), ('awaiting_notice', 'Aguardando comunicado'), ('active', 'Ativa'), ('removal_requested', 'Baixa solicitada'), ('removed', 'Baixada'), ('failed', 'Falhou'), ('rejected', 'Rejeitada')], default='requested', max_length=20, verbose_name='situação'),
        ),
        migrations.AddConstraint(
            model_name='negativation',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['notice_pending', 'requested', 'sent', 'awaiting_notice', 'active', 'removal_requested', 'failed'])), fields=('invoice',), name='one_live_negativation_per_invoice'),
        ),
    ]
