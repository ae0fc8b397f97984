"""Importar do ERP: upload -> preview -> confirm -> rows, twice without change, error report."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from creditcheck.contracts.enums import InvoiceStatus
from creditcheck.contracts.models import Contract, Invoice
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer
from creditcheck.erp.imports import import_run
from creditcheck.erp.models import ImportJob, ImportMode, ImportStatus
from tests.erp.conftest import COMBINED_CSV

pytestmark = pytest.mark.django_db(transaction=True)


def upload(
    client: Client, branch: Branch, data: bytes, name: str = "erp.csv", **fields: str
) -> ImportJob:
    response = client.post(
        "/configuracoes/importar/",
        {
            "file": SimpleUploadedFile(name, data),
            "preset": "generic",
            "source": "erp",
            "branch": branch.pk,
            "mode": ImportMode.SKIP_ERRORS,
            **fields,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("id")


def test_preview_shows_per_row_errors_and_stores_nothing(
    client: Client, administrator: User, branch: Branch
) -> None:
    client.force_login(administrator)
    job = upload(client, branch, COMBINED_CSV.encode())

    page = client.get(f"/configuracoes/importar/{job.pk}/").content.decode()

    assert "Pré-visualização" in page
    assert "Linha 5 (F4): coluna valor: valor inválido" in page
    assert "document: CPF inválido" in page or "CPF inválido" in page
    assert Customer.objects.count() == 0
    assert job.status == ImportStatus.PREVIEW


def test_confirm_imports_valid_rows_then_again_changes_nothing(
    client: Client, administrator: User, branch: Branch
) -> None:
    client.force_login(administrator)
    job = upload(client, branch, COMBINED_CSV.encode())

    client.post(f"/configuracoes/importar/{job.pk}/")

    job.refresh_from_db()
    assert (job.status, job.created, job.updated, job.unchanged, job.error_rows) == (
        ImportStatus.DONE,
        2,
        0,
        0,
        2,
    )
    assert sorted(Invoice.objects.values_list("external_id", "status")) == [
        ("F1", InvoiceStatus.OPEN),
        ("F2", InvoiceStatus.PAID),
    ]
    paid = Invoice.objects.get(external_id="F2")
    assert (str(paid.paid_at), str(paid.amount), paid.paid_via) == (
        "2024-03-12",
        "1129.90",
        "Importação erp.csv",
    )
    assert Contract.objects.get().monthly_amount == paid.amount
    assert Customer.objects.get().branch == branch

    again = upload(client, branch, COMBINED_CSV.encode())
    client.post(f"/configuracoes/importar/{again.pk}/")

    again.refresh_from_db()
    assert (again.created, again.updated, again.unchanged, again.error_rows) == (0, 0, 2, 2)
    assert (Customer.objects.count(), Contract.objects.count(), Invoice.objects.count()) == (
        1,
        1,
        2,
    )
    report = client.get(f"/configuracoes/importar/{again.pk}/erros.csv")
    lines = report.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == "Linha;Código;Erros"
    assert [line.split(";")[:2] for line in lines[1:]] == [["4", "F3"], ["5", "F4"]]


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(
    client: Client, administrator: User, branch: Branch
) -> None:
    client.force_login(administrator)
    job = upload(client, branch, COMBINED_CSV.encode(), mode=ImportMode.ALL_OR_NOTHING)

    client.post(f"/configuracoes/importar/{job.pk}/")

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message == "2 linha(s) com erro: nada foi importado."
    assert Customer.objects.count() == Invoice.objects.count() == 0


def test_duplicated_id_in_file_and_future_payment_are_row_errors(
    client: Client, administrator: User, branch: Branch
) -> None:
    client.force_login(administrator)
    header, first = COMBINED_CSV.splitlines()[:2]
    future = first.replace("10/02/2024;aberta;", "10/02/2024;paga;31/12/2099")
    job = upload(client, branch, "\n".join([header, first, first]).encode())
    future_job = upload(client, branch, "\n".join([header, future]).encode())

    client.post(f"/configuracoes/importar/{job.pk}/")
    client.post(f"/configuracoes/importar/{future_job.pk}/")

    job.refresh_from_db()
    future_job.refresh_from_db()
    assert job.errors[0]["messages"] == ["código F1 repetido (já na linha 2)"]
    assert (job.created, job.error_rows) == (1, 1)
    assert future_job.errors[0]["messages"] == [
        "paid_at: A data do pagamento não pode estar no futuro."
    ]
    assert Invoice.objects.get().status == InvoiceStatus.OPEN  # the first file's F1 only


def test_interrupted_import_resumes_at_the_first_row_not_committed(
    client: Client, administrator: User, branch: Branch
) -> None:
    client.force_login(administrator)
    job = upload(client, branch, COMBINED_CSV.encode())
    # As a worker that died after committing the first batch's rows would leave it:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, processed_rows=2, created=2
    )

    import_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.created, job.error_rows) == (
        ImportStatus.DONE,
        4,
        2,
        2,
    )
    assert Invoice.objects.count() == 0  # rows 1-2 were "committed" before: not redone


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "vazio.csv", "O arquivo está vazio."),
        (b"a;b\n1;2\n", "x.csv", "Nenhuma coluna de código encontrada"),
        (b"PK\x03\x04broken", "x.xlsx", "Não foi possível ler a planilha XLSX."),
        (b"x", "x.pdf", "Envie um arquivo .csv ou .xlsx."),
    ],
)
def test_unreadable_files_are_field_errors_in_portuguese(
    client: Client, administrator: User, branch: Branch, data: bytes, name: str, message: str
) -> None:
    client.force_login(administrator)

    response = client.post(
        "/configuracoes/importar/",
        {"file": SimpleUploadedFile(name, data), "preset": "generic", "source": "erp",
         "branch": branch.pk, "mode": ImportMode.SKIP_ERRORS},
    )  # fmt: skip

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_import_screens_need_the_import_permission(client: Client, financial: User) -> None:
    client.force_login(financial)

    assert client.get("/configuracoes/importar/").status_code == 403
