"""Codes the platforms send that are not theirs but a bureau's or Bacen's, with their Portuguese
descriptions: one table per owner of the codes, shared by every platform that relays them.

A platform's own codes (its status codes, its registry keys) stay in its package. The screens
show the description with the raw code beside it; a code missing here keeps its raw form and an
empty description, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping

from providers.base import BureauCode

# Motivos de devolução de cheques: the "alíneas" of Banco Central do Brasil's cheque clearing
# rules (the table is public at bcb.gov.br). The descriptions are Bacen's, shortened where they
# run long.
BACEN_ALINEAS: Mapping[str, str] = {
    "11": "Cheque sem fundos - 1ª apresentação",
    "12": "Cheque sem fundos - 2ª apresentação",
    "13": "Conta encerrada",
    "14": "Prática espúria",
    "20": "Folha de cheque cancelada por solicitação do correntista",
    "21": "Contra-ordem, revogação ou oposição (sustação) ao pagamento",
    "22": "Divergência ou insuficiência de assinatura",
    "23": "Cheque de órgão da administração pública sem a forma exigida",
    "24": "Bloqueio judicial ou determinação do Banco Central",
    "25": "Cancelamento do talonário pelo banco sacado",
    "26": "Inoperância temporária de transporte",
    "27": "Feriado municipal não previsto",
    "28": "Contra-ordem ou oposição ao pagamento por furto ou roubo",
    "29": "Cheque bloqueado por falta de confirmação do recebimento do talonário",
    "30": "Furto ou roubo de cheque",
    "31": "Erro formal (sem data, sem assinatura, sem valor por extenso)",
    "32": "Ausência ou irregularidade do carimbo de compensação",
    "33": "Divergência de endosso",
    "34": "Apresentado por banco diferente do indicado no cruzamento em preto",
    "35": "Cheque fraudado, emitido sem controle do banco ou com adulteração",
    "36": "Cheque emitido com mais de um endosso",
    "37": "Registro inconsistente",
    "38": "Assinatura digital ausente ou inválida",
    "39": "Imagem fora do padrão",
    "40": "Moeda inválida",
    "41": "Apresentado a banco que não o destinatário",
    "42": "Cheque não compensável na sessão ou sistema em que foi apresentado",
    "43": "Reapresentado sem que cessasse o motivo da devolução anterior",
    "44": "Cheque prescrito",
    "45": "Emitido por entidade obrigada a pagar por ordem bancária",
    "48": "Cheque acima de R$ 100,00 sem identificação do beneficiário",
    "49": "Remessa nula (reapresentação de cheque devolvido por motivo definitivo)",
    "59": "Informação essencial faltante ou inconsistente",
    "60": "Instrumento inadequado para a finalidade",
    "61": "Item não compensável",
    "64": "Arquivo lógico não processado ou processado parcialmente",
    "70": "Sustação ou revogação provisória",
    "71": "Inadimplemento contratual da cooperativa de crédito no acordo de compensação",
    "72": "Contrato de compensação encerrado",
}

# Serasa's "modalidade" of a financial pending item, as Serasa's reports abbreviate it (relayed
# by SOAWebService and ConnectSA). Only the spellings whose meaning is plain are listed.
SERASA_MODALITIES: Mapping[str, str] = {
    "OUTRAS OPER": "Outras operações",
    "EMPRESTIMO": "Empréstimo",
    "FINANCIAMENT": "Financiamento",
    "FINANC VEIC": "Financiamento de veículo",
    "CRED CARTAO": "Cartão de crédito",
    "CARTAO CRED": "Cartão de crédito",
    "CRED PESSOAL": "Crédito pessoal",
    "CRED DIRETO": "Crédito direto ao consumidor",
    "DUPLICATA": "Duplicata",
    "ADIANT CONTA": "Adiantamento a depositante",
    "CHEQUE ESPEC": "Cheque especial",
    "CONSORCIO": "Consórcio",
    "ARRENDAMENTO": "Arrendamento mercantil (leasing)",
    "TELEFONIA": "Serviços de telefonia",
    "SERV PRESTAD": "Prestação de serviços",
}


def bureau_code(raw: str, table: Mapping[str, str], description: str = "") -> BureauCode | None:
    """`raw` with the description the answer gave or, failing that, the table's; None when the
    answer sent no code. Codes are matched without padding, case or leading zeros of numbers."""
    code = " ".join(raw.split())
    if not code:
        return None
    key = code.upper()
    known = table.get(key) or (table.get(key.lstrip("0")) if key.isdigit() else None)
    return BureauCode(code, " ".join(description.split()) or known or "")
