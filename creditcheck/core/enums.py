"""Enumerations shared by several apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonType(models.TextChoices):
    INDIVIDUAL = "F", _("Pessoa física")
    COMPANY = "J", _("Pessoa jurídica")


class State(models.TextChoices):
    """Brazilian federative units (UF)."""

    AC = "AC", _("Acre")
    AL = "AL", _("Alagoas")
    AP = "AP", _("Amapá")
    AM = "AM", _("Amazonas")
    BA = "BA", _("Bahia")
    CE = "CE", _("Ceará")
    DF = "DF", _("Distrito Federal")
    ES = "ES", _("Espírito Santo")
    GO = "GO", _("Goiás")
    MA = "MA", _("Maranhão")
    MT = "MT", _("Mato Grosso")
    MS = "MS", _("Mato Grosso do Sul")
    MG = "MG", _("Minas Gerais")
    PA = "PA", _("Pará")
    PB = "PB", _("Paraíba")
    PR = "PR", _("Paraná")
    PE = "PE", _("Pernambuco")
    PI = "PI", _("Piauí")
    RJ = "RJ", _("Rio de Janeiro")
    RN = "RN", _("Rio Grande do Norte")
    RS = "RS", _("Rio Grande do Sul")
    RO = "RO", _("Rondônia")
    RR = "RR", _("Roraima")
    SC = "SC", _("Santa Catarina")
    SP = "SP", _("São Paulo")
    SE = "SE", _("Sergipe")
    TO = "TO", _("Tocantins")


class Role(models.TextChoices):
    """The four staff roles; each value is the name of a django.contrib.auth Group."""

    ATTENDANT = "Atendente", _("Atendente")
    SELLER = "Vendedor", _("Vendedor")
    FINANCIAL = "Financeiro", _("Financeiro")
    ADMINISTRATOR = "Administrador", _("Administrador")


class AuditAction(models.TextChoices):
    CREDIT_QUERY = "credit_query", _("Consulta de crédito")
    NEGATIVATION = "negativation", _("Negativação")
    SETTINGS_CHANGE = "settings_change", _("Alteração de configuração")
    REPORT_DOWNLOAD = "report_download", _("Download de relatório")
    PERSONAL_DATA_EXPORT = "personal_data_export", _("Exportação de dados pessoais")
    PLATFORM_AVAILABILITY = "platform_availability", _("Disponibilidade de plataforma")
    SIGN_IN_LOCK = "sign_in_lock", _("Bloqueio de acesso")
    PAYMENT_EVENT = "payment_event", _("Aviso de pagamento")
