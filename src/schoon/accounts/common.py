"""Passwords and words that attackers try first; written for schoon (not copied from a breach corpus).

The list holds well-known defaults and patterns, in English and Dutch, lowercased and without spaces. A
password is refused when it is one of these, or one of these with digits and symbols added around it
(``Welkom2024!``), see :func:`schoon.accounts.passwords.check_password`.
"""

from __future__ import annotations

_WORDS = """
password passw0rd passwords password1 mypassword secret secrets topsecret letmein letmeinnow welcome welcomehome
admin administrator root superuser sysadmin changeme changeit default guest test testing tester demo sample
qwerty qwertyuiop qwertz azerty asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx qazwsxedc wsxedc trustno1 iloveyou
loveyou sunshine princess dragon monkey football baseball soccer hockey superman batman spiderman starwars
pokemon master shadow michael jennifer jordan hunter ranger buster thomas charlie freedom whatever computer
internet access login logon summer winter spring autumn january february march april june july august september
october november december monday friday sunday liverpool chelsea arsenal manchester abcdef abcdefg abcdefgh
abcdefghijkl abc123 abcd1234 aaaaaa aaaaaaaaaaaa wachtwoord wachtwoorden welkom welkomthuis geheim supergeheim
inloggen beheer beheerder gebruiker gemeente gemeenten ministerie rijksoverheid overheid nederland holland
amsterdam rotterdam denhaag utrecht eindhoven groningen zomer winter lente herfst voorjaar najaar maandag
vrijdag zondag ajax feyenoord psv oranje hallo hoi doei lekker kaas fiets koffie tulp tulpen molen voetbal
schatje liefje liefde hikvision dahua huawei camera cameras surveillance schoon schone security beveiliging
netwerk network company companyname organisation organization office kantoor server servers database
"""

COMMON: frozenset[str] = frozenset(_WORDS.split()) | frozenset({
    "123456", "1234567", "12345678", "123456789", "1234567890", "12345678901", "123456789012",
    "0123456789", "987654321", "9876543210", "111111", "000000", "121212", "123123", "123321", "654321",
    "112233", "159753", "147258369", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4", "zaq12wsx",
    "1qaz2wsx", "1qaz2wsx3edc", "passwordpassword", "correcthorsebatterystaple", "iloveyou123",
})

#: runs that keyboards and alphabets make easy to type; a password that is a piece of one is refused
SEQUENCES: tuple[str, ...] = (
    "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba", "01234567890123456789", "98765432109876543210",
    "qwertyuiopasdfghjklzxcvbnm", "azertyuiopqsdfghjklmwxcvbn", "qwertzuiopasdfghjklyxcvbnm",
    "1234567890qwertyuiop", "mnbvcxzlkjhgfdsapoiuytrewq",
)
