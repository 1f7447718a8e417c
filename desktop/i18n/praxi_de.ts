<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="de_DE">
    <context>
        <name />
        <message>
            <source>OpPlanPage</source>
            <comment>Operateur: {0}</comment>
            <extracomment>The selection frame: dark ink, never the conflict red (a selected block is not a problem). The phase bar along the block's bottom edge: preparation and post-processing hatched, the operation itself solid. It carries no text, so the text above sits on one colour. Running operations: elapsed time against the planned length, just above the phase bar. Below this width (or in the week range) a block shows the compact label. Overrun of a running operation, drawn right of its planned end on the white row. Operation phase in the phase bar, and the hatch of preparation / post-processing. The lines joined for one ``drawText``. (rect, hatched) of the phase bar: preparation, operation, post-processing. Conflict the server reported for the current drag target ("" = none, None = unknown). Minutes a running operation has run / run over its planned end (``set_now``).</extracomment>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <comment>Assistenz: {0}</comment>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <comment>Anästhesie: {0}</comment>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <comment>Geräte: {0}</comment>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <comment>Status: {0}</comment>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <comment>Läuft seit {0} von {1} min</comment>
            <translation>OpPlanPage</translation>
        </message>
        <message>
            <source>OpPlanPage</source>
            <comment>überzogen um {0} min</comment>
            <translation>OpPlanPage</translation>
        </message>
    </context>
    <context>
        <name>AbsencePage</name>
        <message>
            <source>Vorschau</source>
            <translation>Vorschau</translation>
        </message>
        <message>
            <source>Vorschau der Abwesenheit</source>
            <translation>Vorschau der Abwesenheit</translation>
        </message>
        <message>
            <source>Betroffene Termine</source>
            <translation>Betroffene Termine</translation>
        </message>
        <message>
            <source>Neue Abwesenheit</source>
            <translation>Neue Abwesenheit</translation>
        </message>
        <message>
            <source>Abwesenheit</source>
            <translation>Abwesenheit</translation>
        </message>
        <message>
            <source>Vorschau wird berechnet …</source>
            <translation>Vorschau wird berechnet …</translation>
        </message>
        <message>
            <source>{0} Arbeitstage</source>
            <translation>{0} Arbeitstage</translation>
        </message>
        <message>
            <source>zurück am {0}, {1}</source>
            <translation>zurück am {0}, {1}</translation>
        </message>
        <message>
            <source>Resturlaub danach: {0} Tage</source>
            <translation>Resturlaub danach: {0} Tage</translation>
        </message>
        <message>
            <source>⚠ {0} Termine fallen in die Abwesenheit (bleiben bestehen):</source>
            <translation>⚠ {0} Termine fallen in die Abwesenheit (bleiben bestehen):</translation>
        </message>
        <message>
            <source>Keine Termine betroffen.</source>
            <translation>Keine Termine betroffen.</translation>
        </message>
        <message>
            <source>Speichern (Strg+S)</source>
            <translation>Speichern (Strg+S)</translation>
        </message>
        <message>
            <source>Erst die Vorschau abwarten …</source>
            <translation>Erst die Vorschau abwarten …</translation>
        </message>
    </context>
    <context>
        <name>AlternativeSlots</name>
        <message>
            <source>Freie Alternativen</source>
            <extracomment>the chosen :class:`Slot`</extracomment>
            <translation>Freie Alternativen</translation>
        </message>
        <message>
            <source>Suche die nächsten freien Termine …</source>
            <extracomment>the offered slots' buttons, in the order shown (tests and keyboard users)</extracomment>
            <translation>Suche die nächsten freien Termine …</translation>
        </message>
        <message>
            <source>In den nächsten 7 Tagen ist nichts Passendes frei.</source>
            <translation>In den nächsten 7 Tagen ist nichts Passendes frei.</translation>
        </message>
        <message>
            <source>Stattdessen frei:</source>
            <translation>Stattdessen frei:</translation>
        </message>
        <message>
            <source>Bei {0}:</source>
            <translation>Bei {0}:</translation>
        </message>
        <message>
            <source>Bei anderen Ärzten:</source>
            <translation>Bei anderen Ärzten:</translation>
        </message>
        <message>
            <source>Diesen Termin übernehmen: {0}</source>
            <translation>Diesen Termin übernehmen: {0}</translation>
        </message>
    </context>
    <context>
        <name>ApiMessages</name>
        <message>
            <source>Der Arzt ist zu dieser Zeit nicht verfügbar.</source>
            <translation>Der Arzt ist zu dieser Zeit nicht verfügbar.</translation>
        </message>
        <message>
            <source>Ein gewählter Raum oder ein Gerät ist zu dieser Zeit belegt.</source>
            <translation>Ein gewählter Raum oder ein Gerät ist zu dieser Zeit belegt.</translation>
        </message>
        <message>
            <source>Der Patient hat in diesem Zeitraum bereits einen Termin.</source>
            <translation>Der Patient hat in diesem Zeitraum bereits einen Termin.</translation>
        </message>
        <message>
            <source>Terminkonflikt mit einer Operation.</source>
            <translation>Terminkonflikt mit einer Operation.</translation>
        </message>
        <message>
            <source>Benutzername oder Passwort ist falsch.</source>
            <translation>Benutzername oder Passwort ist falsch.</translation>
        </message>
        <message>
            <source>Für diese Aktion fehlt Ihnen die Berechtigung.</source>
            <translation>Für diese Aktion fehlt Ihnen die Berechtigung.</translation>
        </message>
        <message>
            <source>Die Einrichtung wurde bereits abgeschlossen.</source>
            <translation>Die Einrichtung wurde bereits abgeschlossen.</translation>
        </message>
        <message>
            <source>Dieses Feld ist erforderlich.</source>
            <translation>Dieses Feld ist erforderlich.</translation>
        </message>
        <message>
            <source>Dieses Feld darf nicht leer sein.</source>
            <translation>Dieses Feld darf nicht leer sein.</translation>
        </message>
        <message>
            <source>Der Eintrag wurde nicht gefunden (evtl. inzwischen gelöscht).</source>
            <translation>Der Eintrag wurde nicht gefunden (evtl. inzwischen gelöscht).</translation>
        </message>
        <message>
            <source>Der Termin wird im Patientenfluss verwendet und kann nicht gelöscht werden.</source>
            <translation>Der Termin wird im Patientenfluss verwendet und kann nicht gelöscht werden.</translation>
        </message>
        <message>
            <source>An diesem Wochentag hat die Praxis geschlossen.</source>
            <translation>An diesem Wochentag hat die Praxis geschlossen.</translation>
        </message>
        <message>
            <source>Der Termin liegt außerhalb der Praxiszeiten.</source>
            <translation>Der Termin liegt außerhalb der Praxiszeiten.</translation>
        </message>
        <message>
            <source>Der Arzt hat an diesem Wochentag keine Sprechzeiten.</source>
            <translation>Der Arzt hat an diesem Wochentag keine Sprechzeiten.</translation>
        </message>
        <message>
            <source>Der Termin liegt außerhalb der Sprechzeiten des Arztes.</source>
            <translation>Der Termin liegt außerhalb der Sprechzeiten des Arztes.</translation>
        </message>
        <message>
            <source>Der Arzt ist an diesem Tag abwesend.</source>
            <translation>Der Arzt ist an diesem Tag abwesend.</translation>
        </message>
        <message>
            <source>Der Termin überschneidet sich mit einer Pause.</source>
            <translation>Der Termin überschneidet sich mit einer Pause.</translation>
        </message>
        <message>
            <source>Der Arzt hat zu dieser Zeit bereits einen Termin.</source>
            <translation>Der Arzt hat zu dieser Zeit bereits einen Termin.</translation>
        </message>
        <message>
            <source>Benutzername</source>
            <translation>Benutzername</translation>
        </message>
        <message>
            <source>Passwort</source>
            <translation>Passwort</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>Beginn</source>
            <translation>Beginn</translation>
        </message>
        <message>
            <source>Ende</source>
            <translation>Ende</translation>
        </message>
        <message>
            <source>Ressourcen</source>
            <translation>Ressourcen</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten.</source>
            <translation>Zu viele Anmeldeversuche. Bitte warten Sie einige Minuten.</translation>
        </message>
        <message>
            <source>Der Server hat einen internen Fehler gemeldet. Bitte erneut versuchen.</source>
            <translation>Der Server hat einen internen Fehler gemeldet. Bitte erneut versuchen.</translation>
        </message>
        <message>
            <source>Die Anfrage wurde vom Server abgelehnt (Status {0}).</source>
            <translation>Die Anfrage wurde vom Server abgelehnt (Status {0}).</translation>
        </message>
        <message>
            <source>Der Arzt ist zu dieser Zeit an einer Operation beteiligt.</source>
            <translation>Der Arzt ist zu dieser Zeit an einer Operation beteiligt.</translation>
        </message>
        <message>
            <source>Der Patient hat zu dieser Zeit eine Operation.</source>
            <translation>Der Patient hat zu dieser Zeit eine Operation.</translation>
        </message>
    </context>
    <context>
        <name>AppointmentActions</name>
        <message>
            <source>geplant</source>
            <extracomment>The check-in key: Strg+D, "Patient ist **d**a". Statuses offered under "Status"; "abgesagt" is reached through "Absagen …" (with a reason).</extracomment>
            <translation>geplant</translation>
        </message>
        <message>
            <source>bestätigt</source>
            <translation>bestätigt</translation>
        </message>
        <message>
            <source>abgeschlossen</source>
            <translation>abgeschlossen</translation>
        </message>
        <message>
            <source>Öffnen</source>
            <extracomment>A write was refused or failed (German message, for the screen's message line). A write succeeded (the appointment id), e.g. for a dialog to close. "Öffnen" in the context menu (the Appointment). The open questions, if any (tests answer them like a user).</extracomment>
            <translation>Öffnen</translation>
        </message>
        <message>
            <source>Patient ist da</source>
            <translation>Patient ist da</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Absagen …</source>
            <translation>Absagen …</translation>
        </message>
        <message>
            <source>Nicht erschienen</source>
            <translation>Nicht erschienen</translation>
        </message>
        <message>
            <source>Löschen …</source>
            <translation>Löschen …</translation>
        </message>
        <message>
            <source>Nicht angemeldet: {0}</source>
            <translation>Nicht angemeldet: {0}</translation>
        </message>
        <message>
            <source>Status nicht geändert: {0}</source>
            <translation>Status nicht geändert: {0}</translation>
        </message>
        <message>
            <source>Nicht abgesagt: {0}</source>
            <translation>Nicht abgesagt: {0}</translation>
        </message>
        <message>
            <source>Nicht als „nicht erschienen“ markiert: {0}</source>
            <translation>Nicht als „nicht erschienen“ markiert: {0}</translation>
        </message>
        <message>
            <source>Termin löschen</source>
            <translation>Termin löschen</translation>
        </message>
        <message>
            <source>Den Termin von {0} am {1} um {2} Uhr endgültig löschen?</source>
            <translation>Den Termin von {0} am {1} um {2} Uhr endgültig löschen?</translation>
        </message>
        <message>
            <source>Nicht gelöscht: {0}</source>
            <translation>Nicht gelöscht: {0}</translation>
        </message>
    </context>
    <context>
        <name>AppointmentDialog</name>
        <message>
            <source>Termin bearbeiten</source>
            <translation>Termin bearbeiten</translation>
        </message>
        <message>
            <source>Neuer Termin</source>
            <translation>Neuer Termin</translation>
        </message>
        <message>
            <source>&amp;Patient:</source>
            <translation>&amp;Patient:</translation>
        </message>
        <message>
            <source>&amp;Arzt:</source>
            <translation>&amp;Arzt:</translation>
        </message>
        <message>
            <source>– ohne Terminart –</source>
            <translation>– ohne Terminart –</translation>
        </message>
        <message>
            <source>&amp;Terminart:</source>
            <translation>&amp;Terminart:</translation>
        </message>
        <message>
            <source> Min.</source>
            <translation> Min.</translation>
        </message>
        <message>
            <source>&amp;Dauer:</source>
            <translation>&amp;Dauer:</translation>
        </message>
        <message>
            <source>&amp;Zeit:</source>
            <translation>&amp;Zeit:</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Gerät</source>
            <translation>Gerät</translation>
        </message>
        <message>
            <source>&amp;Ressourcen:</source>
            <translation>&amp;Ressourcen:</translation>
        </message>
        <message>
            <source>&amp;Notiz:</source>
            <translation>&amp;Notiz:</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Termin {0} einer Serie</source>
            <translation>Termin {0} einer Serie</translation>
        </message>
        <message>
            <source>Serie ö&amp;ffnen …</source>
            <translation>Serie ö&amp;ffnen …</translation>
        </message>
        <message>
            <source>Serie:</source>
            <translation>Serie:</translation>
        </message>
        <message>
            <source>Schritt {0} der Terminkette „{1}“</source>
            <translation>Schritt {0} der Terminkette „{1}“</translation>
        </message>
        <message>
            <source>&amp;Kette öffnen …</source>
            <translation>&amp;Kette öffnen …</translation>
        </message>
        <message>
            <source>Terminkette:</source>
            <translation>Terminkette:</translation>
        </message>
        <message>
            <source>Erinnerungen:</source>
            <translation>Erinnerungen:</translation>
        </message>
        <message>
            <source>Prüfergebnis</source>
            <translation>Prüfergebnis</translation>
        </message>
        <message>
            <source>&amp;Wiederholen …</source>
            <translation>&amp;Wiederholen …</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>Stat&amp;us:</source>
            <translation>Stat&amp;us:</translation>
        </message>
        <message>
            <source>Patient &amp;ist da</source>
            <translation>Patient &amp;ist da</translation>
        </message>
        <message>
            <source>Nicht &amp;erschienen</source>
            <translation>Nicht &amp;erschienen</translation>
        </message>
        <message>
            <source>Absa&amp;gen …</source>
            <translation>Absa&amp;gen …</translation>
        </message>
        <message>
            <source>&amp;Löschen …</source>
            <translation>&amp;Löschen …</translation>
        </message>
        <message>
            <source>✓ Der Termin ist frei.</source>
            <translation>✓ Der Termin ist frei.</translation>
        </message>
        <message>
            <source>Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten – bitte erneut speichern, sobald die Verbindung wieder besteht.</source>
            <translation>Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten – bitte erneut speichern, sobald die Verbindung wieder besteht.</translation>
        </message>
    </context>
    <context>
        <name>AppointmentsApi</name>
        <message>
            <source>Abgesagt: {0}</source>
            <translation>Abgesagt: {0}</translation>
        </message>
    </context>
    <context>
        <name>AuditDetails</name>
        <message>
            <source>Datum</source>
            <translation>Datum</translation>
        </message>
        <message>
            <source>von</source>
            <translation>von</translation>
        </message>
        <message>
            <source>bis</source>
            <translation>bis</translation>
        </message>
        <message>
            <source>Beginn</source>
            <translation>Beginn</translation>
        </message>
        <message>
            <source>Ende</source>
            <translation>Ende</translation>
        </message>
        <message>
            <source>Bereich</source>
            <translation>Bereich</translation>
        </message>
        <message>
            <source>Säle</source>
            <translation>Säle</translation>
        </message>
        <message>
            <source>Ressourcen</source>
            <translation>Ressourcen</translation>
        </message>
        <message>
            <source>live</source>
            <translation>live</translation>
        </message>
        <message>
            <source>Kennzahlen</source>
            <translation>Kennzahlen</translation>
        </message>
        <message>
            <source>Suche</source>
            <translation>Suche</translation>
        </message>
        <message>
            <source>Termin</source>
            <translation>Termin</translation>
        </message>
        <message>
            <source>Patientenfluss</source>
            <translation>Patientenfluss</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Benutzer</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Benutzername</source>
            <translation>Benutzername</translation>
        </message>
        <message>
            <source>Felder</source>
            <translation>Felder</translation>
        </message>
        <message>
            <source>Quelle</source>
            <translation>Quelle</translation>
        </message>
        <message>
            <source>erfolgreich</source>
            <translation>erfolgreich</translation>
        </message>
        <message>
            <source>Meldung</source>
            <translation>Meldung</translation>
        </message>
        <message>
            <source>Freier Termin</source>
            <translation>Freier Termin</translation>
        </message>
        <message>
            <source>Wartelisteneintrag</source>
            <translation>Wartelisteneintrag</translation>
        </message>
        <message>
            <source>Einträge</source>
            <translation>Einträge</translation>
        </message>
        <message>
            <source>Terminserie</source>
            <translation>Terminserie</translation>
        </message>
        <message>
            <source>Terminkette</source>
            <translation>Terminkette</translation>
        </message>
        <message>
            <source>Vorlage</source>
            <translation>Vorlage</translation>
        </message>
        <message>
            <source>Regel</source>
            <translation>Regel</translation>
        </message>
        <message>
            <source>Erinnerung</source>
            <translation>Erinnerung</translation>
        </message>
        <message>
            <source>Zugang</source>
            <translation>Zugang</translation>
        </message>
        <message>
            <source>Kanal</source>
            <translation>Kanal</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Übersicht</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Warteliste</source>
            <translation>Warteliste</translation>
        </message>
        <message>
            <source>Versand-Dienst</source>
            <translation>Versand-Dienst</translation>
        </message>
        <message>
            <source>SMS</source>
            <translation>SMS</translation>
        </message>
        <message>
            <source>Geräte</source>
            <translation>Geräte</translation>
        </message>
        <message>
            <source>Operateure</source>
            <translation>Operateure</translation>
        </message>
        <message>
            <source>OP-Arten</source>
            <translation>OP-Arten</translation>
        </message>
        <message>
            <source>Operationen</source>
            <translation>Operationen</translation>
        </message>
        <message>
            <source>Terminplanung</source>
            <translation>Terminplanung</translation>
        </message>
        <message>
            <source>Ärzte</source>
            <translation>Ärzte</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Patienten</source>
            <translation>Patienten</translation>
        </message>
        <message>
            <source>Ersteinrichtung</source>
            <translation>Ersteinrichtung</translation>
        </message>
        <message>
            <source>Kommandozeile</source>
            <translation>Kommandozeile</translation>
        </message>
        <message>
            <source>Erststart</source>
            <translation>Erststart</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Rolle</source>
            <translation>Rolle</translation>
        </message>
        <message>
            <source>Passwort</source>
            <translation>Passwort</translation>
        </message>
        <message>
            <source>Aktiv</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Kalenderfarbe</source>
            <translation>Kalenderfarbe</translation>
        </message>
        <message>
            <source>Urlaubstage/Jahr</source>
            <translation>Urlaubstage/Jahr</translation>
        </message>
        <message>
            <source>ja</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>nein</source>
            <translation>nein</translation>
        </message>
    </context>
    <context>
        <name>AuditLog</name>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>OP-Art</source>
            <translation>OP-Art</translation>
        </message>
        <message>
            <source>Patientenfluss</source>
            <translation>Patientenfluss</translation>
        </message>
        <message>
            <source>Praxiszeiten</source>
            <translation>Praxiszeiten</translation>
        </message>
        <message>
            <source>Sprechzeiten</source>
            <translation>Sprechzeiten</translation>
        </message>
        <message>
            <source>Abwesenheit</source>
            <translation>Abwesenheit</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Vertretung</source>
            <translation>Vertretung</translation>
        </message>
        <message>
            <source>Ressourcenbuchung</source>
            <translation>Ressourcenbuchung</translation>
        </message>
        <message>
            <source>Ressourcenkalender</source>
            <translation>Ressourcenkalender</translation>
        </message>
        <message>
            <source>OP-Übersicht</source>
            <translation>OP-Übersicht</translation>
        </message>
        <message>
            <source>OP-Zeitleiste</source>
            <translation>OP-Zeitleiste</translation>
        </message>
        <message>
            <source>OP-Statistik</source>
            <translation>OP-Statistik</translation>
        </message>
        <message>
            <source>OP-Status</source>
            <translation>OP-Status</translation>
        </message>
        <message>
            <source>Kennzahlen</source>
            <translation>Kennzahlen</translation>
        </message>
        <message>
            <source>Terminserie</source>
            <translation>Terminserie</translation>
        </message>
        <message>
            <source>Kettenvorlage</source>
            <translation>Kettenvorlage</translation>
        </message>
        <message>
            <source>Kettenschritt</source>
            <translation>Kettenschritt</translation>
        </message>
        <message>
            <source>Terminkette</source>
            <translation>Terminkette</translation>
        </message>
        <message>
            <source>Wartelisteneintrag</source>
            <translation>Wartelisteneintrag</translation>
        </message>
        <message>
            <source>Freier Termin (Warteliste)</source>
            <translation>Freier Termin (Warteliste)</translation>
        </message>
        <message>
            <source>Einwilligung Erinnerungen</source>
            <translation>Einwilligung Erinnerungen</translation>
        </message>
        <message>
            <source>Erinnerungsregel</source>
            <translation>Erinnerungsregel</translation>
        </message>
        <message>
            <source>Erinnerungseinstellungen</source>
            <translation>Erinnerungseinstellungen</translation>
        </message>
        <message>
            <source>Erinnerung</source>
            <translation>Erinnerung</translation>
        </message>
        <message>
            <source>Kalender-Abo-Einstellungen</source>
            <translation>Kalender-Abo-Einstellungen</translation>
        </message>
        <message>
            <source>Kalender-Abo</source>
            <translation>Kalender-Abo</translation>
        </message>
        <message>
            <source>Zugang der Aufrufanzeige</source>
            <translation>Zugang der Aufrufanzeige</translation>
        </message>
        <message>
            <source>Praxiseinstellungen</source>
            <translation>Praxiseinstellungen</translation>
        </message>
        <message>
            <source>Persönliche Einstellungen</source>
            <translation>Persönliche Einstellungen</translation>
        </message>
        <message>
            <source>Termin</source>
            <translation>Termin</translation>
        </message>
        <message>
            <source>Operation</source>
            <translation>Operation</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Ressource</source>
            <translation>Ressource</translation>
        </message>
        <message>
            <source>Verfügbarkeit</source>
            <translation>Verfügbarkeit</translation>
        </message>
        <message>
            <source>Kalender</source>
            <translation>Kalender</translation>
        </message>
        <message>
            <source>Benutzer</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Anmeldung</source>
            <translation>Anmeldung</translation>
        </message>
        <message>
            <source>Abmeldung</source>
            <translation>Abmeldung</translation>
        </message>
        <message>
            <source>Liste abgerufen</source>
            <translation>Liste abgerufen</translation>
        </message>
        <message>
            <source>angesehen</source>
            <translation>angesehen</translation>
        </message>
        <message>
            <source>angelegt</source>
            <translation>angelegt</translation>
        </message>
        <message>
            <source>geändert</source>
            <translation>geändert</translation>
        </message>
        <message>
            <source>gelöscht</source>
            <translation>gelöscht</translation>
        </message>
        <message>
            <source>gesucht</source>
            <translation>gesucht</translation>
        </message>
        <message>
            <source>Vorschläge abgerufen</source>
            <translation>Vorschläge abgerufen</translation>
        </message>
        <message>
            <source>Konflikt abgewiesen</source>
            <translation>Konflikt abgewiesen</translation>
        </message>
        <message>
            <source>als nicht erschienen markiert</source>
            <translation>als nicht erschienen markiert</translation>
        </message>
        <message>
            <source>Status geändert</source>
            <translation>Status geändert</translation>
        </message>
        <message>
            <source>Vorschau angesehen</source>
            <translation>Vorschau angesehen</translation>
        </message>
        <message>
            <source>Tag angesehen</source>
            <translation>Tag angesehen</translation>
        </message>
        <message>
            <source>Woche angesehen</source>
            <translation>Woche angesehen</translation>
        </message>
        <message>
            <source>Monat angesehen</source>
            <translation>Monat angesehen</translation>
        </message>
        <message>
            <source>fehlgeschlagen</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <source>erfolgreich</source>
            <translation>erfolgreich</translation>
        </message>
        <message>
            <source>gebucht</source>
            <translation>gebucht</translation>
        </message>
        <message>
            <source>abgelaufen</source>
            <translation>abgelaufen</translation>
        </message>
        <message>
            <source>widerrufen</source>
            <translation>widerrufen</translation>
        </message>
        <message>
            <source>aufgerufen</source>
            <translation>aufgerufen</translation>
        </message>
        <message>
            <source>Passwort geändert</source>
            <translation>Passwort geändert</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>verschoben</source>
            <translation>verschoben</translation>
        </message>
        <message>
            <source>abgerufen</source>
            <translation>abgerufen</translation>
        </message>
        <message>
            <source>gesendet</source>
            <translation>gesendet</translation>
        </message>
        <message>
            <source>erneut angestoßen</source>
            <translation>erneut angestoßen</translation>
        </message>
    </context>
    <context>
        <name>AuditLogPage</name>
        <message>
            <source>Patientennr.</source>
            <translation>Patientennr.</translation>
        </message>
        <message>
            <source>Patientennummer</source>
            <translation>Patientennummer</translation>
        </message>
        <message>
            <source>Aktion</source>
            <translation>Aktion</translation>
        </message>
        <message>
            <source>Alle Aktionen</source>
            <translation>Alle Aktionen</translation>
        </message>
        <message>
            <source>Benutzer</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Alle Benutzer</source>
            <translation>Alle Benutzer</translation>
        </message>
        <message>
            <source>Rolle</source>
            <translation>Rolle</translation>
        </message>
        <message>
            <source>Alle Rollen</source>
            <translation>Alle Rollen</translation>
        </message>
        <message>
            <source>Zeitraum:</source>
            <translation>Zeitraum:</translation>
        </message>
        <message>
            <source>Von</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>Bis</source>
            <translation>Bis</translation>
        </message>
        <message>
            <source>Filtern</source>
            <translation>Filtern</translation>
        </message>
        <message>
            <source>Patient:</source>
            <translation>Patient:</translation>
        </message>
        <message>
            <source>Zeitpunkt</source>
            <translation>Zeitpunkt</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>Audit-Einträge</source>
            <translation>Audit-Einträge</translation>
        </message>
        <message>
            <source>◀ Neuere</source>
            <translation>◀ Neuere</translation>
        </message>
        <message>
            <source>Ältere ▶</source>
            <translation>Ältere ▶</translation>
        </message>
        <message>
            <source>System</source>
            <translation>System</translation>
        </message>
        <message>
            <source>Aktionscode: {0}</source>
            <translation>Aktionscode: {0}</translation>
        </message>
        <message>
            <source>Seite {0} von {1} · {2} Einträge</source>
            <translation>Seite {0} von {1} · {2} Einträge</translation>
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <source>Keine Daten im gewählten Zeitraum.</source>
            <translation>Keine Daten im gewählten Zeitraum.</translation>
        </message>
    </context>
    <context>
        <name>BookingDialog</name>
        <message>
            <source>&amp;Speichern</source>
            <translation>&amp;Speichern</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
    </context>
    <context>
        <name>Calendar</name>
        <message>
            <source>geplant</source>
            <translation>geplant</translation>
        </message>
        <message>
            <source>Termin vergeben</source>
            <translation>Termin vergeben</translation>
        </message>
        <message>
            <source>bestätigt</source>
            <translation>bestätigt</translation>
        </message>
        <message>
            <source>Patient hat zugesagt</source>
            <translation>Patient hat zugesagt</translation>
        </message>
        <message>
            <source>da</source>
            <translation>da</translation>
        </message>
        <message>
            <source>angemeldet, im Wartezimmer oder in Vorbereitung</source>
            <translation>angemeldet, im Wartezimmer oder in Vorbereitung</translation>
        </message>
        <message>
            <source>in Behandlung</source>
            <translation>in Behandlung</translation>
        </message>
        <message>
            <source>in Behandlung oder Nachbereitung</source>
            <translation>in Behandlung oder Nachbereitung</translation>
        </message>
        <message>
            <source>fertig</source>
            <translation>fertig</translation>
        </message>
        <message>
            <source>Besuch abgeschlossen</source>
            <translation>Besuch abgeschlossen</translation>
        </message>
        <message>
            <source>nicht erschienen</source>
            <translation>nicht erschienen</translation>
        </message>
        <message>
            <source>als nicht erschienen markiert</source>
            <translation>als nicht erschienen markiert</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>grau schraffiert, Zeit ist wieder frei</source>
            <translation>grau schraffiert, Zeit ist wieder frei</translation>
        </message>
        <message>
            <source>Konflikt</source>
            <extracomment>The glyph colour on every badge.</extracomment>
            <translation>Konflikt</translation>
        </message>
        <message>
            <source>roter Rand: Ziel beim Verschieben ist belegt</source>
            <translation>roter Rand: Ziel beim Verschieben ist belegt</translation>
        </message>
        <message>
            <source>schraffiert, durchgestrichen</source>
            <translation>schraffiert, durchgestrichen</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>gelb schraffiert, mit Grund</source>
            <translation>gelb schraffiert, mit Grund</translation>
        </message>
        <message>
            <source>Abwesend</source>
            <translation>Abwesend</translation>
        </message>
        <message>
            <source>ganze Spalte grau, Grund oben</source>
            <translation>ganze Spalte grau, Grund oben</translation>
        </message>
        <message>
            <source>Außerhalb der Sprechzeit</source>
            <translation>Außerhalb der Sprechzeit</translation>
        </message>
        <message>
            <source>hellgrau hinterlegt</source>
            <translation>hellgrau hinterlegt</translation>
        </message>
        <message>
            <source>Jetzt</source>
            <translation>Jetzt</translation>
        </message>
        <message>
            <source>rote Linie</source>
            <translation>rote Linie</translation>
        </message>
        <message>
            <source>Patient #{0}</source>
            <extracomment>status of the patient flow of this visit (``patient_flows`` of the calendar response) its place in a series (issue 17): ``(series id, index, count)``, None for a single one its step in a chain (Terminkette, issue 17), None for one outside any chain</extracomment>
            <translation>Patient #{0}</translation>
        </message>
        <message>
            <source>Montag</source>
            <extracomment>Source texts, shown through ``QCoreApplication.translate("Calendar", …)``.</extracomment>
            <translation>Montag</translation>
        </message>
        <message>
            <source>Dienstag</source>
            <translation>Dienstag</translation>
        </message>
        <message>
            <source>Mittwoch</source>
            <translation>Mittwoch</translation>
        </message>
        <message>
            <source>Donnerstag</source>
            <translation>Donnerstag</translation>
        </message>
        <message>
            <source>Freitag</source>
            <translation>Freitag</translation>
        </message>
        <message>
            <source>Samstag</source>
            <translation>Samstag</translation>
        </message>
        <message>
            <source>Sonntag</source>
            <translation>Sonntag</translation>
        </message>
        <message>
            <source>Raum</source>
            <extracomment>Source texts, shown through ``QCoreApplication.translate("Calendar", …)``.</extracomment>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Gerät</source>
            <translation>Gerät</translation>
        </message>
        <message>
            <source>Nur Räume</source>
            <extracomment>Source texts of the resource-kind filter.</extracomment>
            <translation>Nur Räume</translation>
        </message>
        <message>
            <source>Nur Geräte</source>
            <translation>Nur Geräte</translation>
        </message>
        <message>
            <source>Januar</source>
            <extracomment>QSettings keys of the week's doctors and the shown rooms/devices (spec 07: filters persist) A room column never grows wider than this to fit its name (then the name is cut).</extracomment>
            <translation>Januar</translation>
        </message>
        <message>
            <source>Februar</source>
            <translation>Februar</translation>
        </message>
        <message>
            <source>März</source>
            <translation>März</translation>
        </message>
        <message>
            <source>April</source>
            <translation>April</translation>
        </message>
        <message>
            <source>Mai</source>
            <translation>Mai</translation>
        </message>
        <message>
            <source>Juni</source>
            <translation>Juni</translation>
        </message>
        <message>
            <source>Juli</source>
            <translation>Juli</translation>
        </message>
        <message>
            <source>August</source>
            <translation>August</translation>
        </message>
        <message>
            <source>September</source>
            <translation>September</translation>
        </message>
        <message>
            <source>Oktober</source>
            <translation>Oktober</translation>
        </message>
        <message>
            <source>November</source>
            <translation>November</translation>
        </message>
        <message>
            <source>Dezember</source>
            <translation>Dezember</translation>
        </message>
        <message>
            <source>Mo</source>
            <extracomment>Source texts; shown through ``weekday_short``.</extracomment>
            <translation>Mo</translation>
        </message>
        <message>
            <source>Di</source>
            <translation>Di</translation>
        </message>
        <message>
            <source>Mi</source>
            <translation>Mi</translation>
        </message>
        <message>
            <source>Do</source>
            <translation>Do</translation>
        </message>
        <message>
            <source>Fr</source>
            <translation>Fr</translation>
        </message>
        <message>
            <source>Sa</source>
            <translation>Sa</translation>
        </message>
        <message>
            <source>So</source>
            <translation>So</translation>
        </message>
        <message>
            <source>Serie: Termin {0}</source>
            <extracomment>px above the block that a tight one-line label may ink (dots of Ä, Ö, Ü)</extracomment>
            <translation>Serie: Termin {0}</translation>
        </message>
        <message>
            <source>Terminkette: {0}, Schritt {1}: {2}</source>
            <translation>Terminkette: {0}, Schritt {1}: {2}</translation>
        </message>
        <message>
            <source>Terminkette: {0}, Schritt {1}</source>
            <translation>Terminkette: {0}, Schritt {1}</translation>
        </message>
        <message>
            <source>Status: {0}</source>
            <translation>Status: {0}</translation>
        </message>
        <message>
            <source>Notiz: {0}</source>
            <translation>Notiz: {0}</translation>
        </message>
        <message>
            <source>Abwesend: {0}</source>
            <extracomment>the block of each appointment (its first one in a resource view) every block, keyed by (appointment id, resource id or None)</extracomment>
            <translation>Abwesend: {0}</translation>
        </message>
    </context>
    <context>
        <name>CalendarFeedDialog</name>
        <message>
            <source>Kalender abonnieren</source>
            <translation>Kalender abonnieren</translation>
        </message>
        <message>
            <source>Mit dieser Adresse zeigen Outlook, das Smartphone oder ein anderes Kalenderprogramm die Termine und OPs der nächsten Wochen an. Die Termine nennen keine Patientennamen (höchstens Initialen, wenn die Praxis das eingeschaltet hat). Die Adresse ist geheim: Wer sie kennt, sieht die Termine, bis sie widerrufen wird.</source>
            <translation>Mit dieser Adresse zeigen Outlook, das Smartphone oder ein anderes Kalenderprogramm die Termine und OPs der nächsten Wochen an. Die Termine nennen keine Patientennamen (höchstens Initialen, wenn die Praxis das eingeschaltet hat). Die Adresse ist geheim: Wer sie kennt, sieht die Termine, bis sie widerrufen wird.</translation>
        </message>
        <message>
            <source>Ärztin / Arzt</source>
            <translation>Ärztin / Arzt</translation>
        </message>
        <message>
            <source>Abo</source>
            <translation>Abo</translation>
        </message>
        <message>
            <source>Adresse des Kalenders</source>
            <translation>Adresse des Kalenders</translation>
        </message>
        <message>
            <source>Die Adresse wird nur direkt nach dem Erzeugen angezeigt.</source>
            <translation>Die Adresse wird nur direkt nach dem Erzeugen angezeigt.</translation>
        </message>
        <message>
            <source>Adresse</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Initialen der Patienten zeigen (alle Abos der Praxis)</source>
            <translation>Initialen der Patienten zeigen (alle Abos der Praxis)</translation>
        </message>
        <message>
            <source>Adresse erzeugen</source>
            <translation>Adresse erzeugen</translation>
        </message>
        <message>
            <source>Kopieren</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Widerrufen</source>
            <translation>Widerrufen</translation>
        </message>
        <message>
            <source>Schließen</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source>Kein Abo eingerichtet.</source>
            <translation>Kein Abo eingerichtet.</translation>
        </message>
        <message>
            <source>Eingerichtet am {0} um {1} Uhr</source>
            <translation>Eingerichtet am {0} um {1} Uhr</translation>
        </message>
        <message>
            <source> von {0}</source>
            <translation> von {0}</translation>
        </message>
        <message>
            <source>Neue Adresse erzeugen</source>
            <translation>Neue Adresse erzeugen</translation>
        </message>
        <message>
            <source>Alle Abos zeigen jetzt die Initialen der Patienten.</source>
            <translation>Alle Abos zeigen jetzt die Initialen der Patienten.</translation>
        </message>
        <message>
            <source>Die Abos zeigen keine Patientendaten mehr.</source>
            <translation>Die Abos zeigen keine Patientendaten mehr.</translation>
        </message>
        <message>
            <source>Die bisherige Adresse funktioniert danach nicht mehr; abonnierte Kalender müssen die neue Adresse erhalten.</source>
            <translation>Die bisherige Adresse funktioniert danach nicht mehr; abonnierte Kalender müssen die neue Adresse erhalten.</translation>
        </message>
        <message>
            <source>Adresse erzeugt und in die Zwischenablage kopiert. Fügen Sie sie in Ihrem Kalender unter „Kalender abonnieren“ (Internetkalender) ein.</source>
            <translation>Adresse erzeugt und in die Zwischenablage kopiert. Fügen Sie sie in Ihrem Kalender unter „Kalender abonnieren“ (Internetkalender) ein.</translation>
        </message>
        <message>
            <source>Adresse in die Zwischenablage kopiert.</source>
            <translation>Adresse in die Zwischenablage kopiert.</translation>
        </message>
        <message>
            <source>Abo widerrufen</source>
            <translation>Abo widerrufen</translation>
        </message>
        <message>
            <source>Die Adresse funktioniert danach nicht mehr. Abo widerrufen?</source>
            <translation>Die Adresse funktioniert danach nicht mehr. Abo widerrufen?</translation>
        </message>
        <message>
            <source>Abo widerrufen. Die Adresse funktioniert nicht mehr.</source>
            <translation>Abo widerrufen. Die Adresse funktioniert nicht mehr.</translation>
        </message>
    </context>
    <context>
        <name>CalendarPage</name>
        <message>
            <source>Neuer Termin</source>
            <extracomment>the meaning of ◀ / ▶ changed (day, week or month view) ISO weekdays (1 = Monday) the week view shows besides open and booked days, from the practice settings (issue 20); None: Monday to Friday. the doctors of the week view (None: every doctor) and the shown rooms/devices</extracomment>
            <translation>Neuer Termin</translation>
        </message>
        <message>
            <source>Neuen Termin anlegen (Strg+N)</source>
            <translation>Neuen Termin anlegen (Strg+N)</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Tag</translation>
        </message>
        <message>
            <source>Woche</source>
            <translation>Woche</translation>
        </message>
        <message>
            <source>Monat</source>
            <translation>Monat</translation>
        </message>
        <message>
            <source>Räume/Geräte</source>
            <translation>Räume/Geräte</translation>
        </message>
        <message>
            <source>Freie Termine</source>
            <translation>Freie Termine</translation>
        </message>
        <message>
            <source>Freie Termine suchen und für einen Patienten buchen</source>
            <translation>Freie Termine suchen und für einen Patienten buchen</translation>
        </message>
        <message>
            <source>Terminkette buchen …</source>
            <translation>Terminkette buchen …</translation>
        </message>
        <message>
            <source>Eine Terminkette (mehrere Schritte) für einen Patienten buchen</source>
            <translation>Eine Terminkette (mehrere Schritte) für einen Patienten buchen</translation>
        </message>
        <message>
            <source>Drucken</source>
            <translation>Drucken</translation>
        </message>
        <message>
            <source>Tagesliste drucken oder als PDF speichern</source>
            <translation>Tagesliste drucken oder als PDF speichern</translation>
        </message>
        <message>
            <source>Ärzte</source>
            <translation>Ärzte</translation>
        </message>
        <message>
            <source>Ärzte der Wochenansicht</source>
            <translation>Ärzte der Wochenansicht</translation>
        </message>
        <message>
            <source>Art der Ressourcen</source>
            <translation>Art der Ressourcen</translation>
        </message>
        <message>
            <source>Räume und Geräte</source>
            <translation>Räume und Geräte</translation>
        </message>
        <message>
            <source>Auswahl</source>
            <translation>Auswahl</translation>
        </message>
        <message>
            <source>Gezeigte Räume und Geräte</source>
            <translation>Gezeigte Räume und Geräte</translation>
        </message>
        <message>
            <source>Raster:</source>
            <translation>Raster:</translation>
        </message>
        <message>
            <source>Zeitraster</source>
            <translation>Zeitraster</translation>
        </message>
        <message>
            <source>{0} Min.</source>
            <translation>{0} Min.</translation>
        </message>
        <message>
            <source>Farbe der Termine</source>
            <translation>Farbe der Termine</translation>
        </message>
        <message>
            <source>Farbe nach Arzt</source>
            <translation>Farbe nach Arzt</translation>
        </message>
        <message>
            <source>Farbe nach Terminart</source>
            <translation>Farbe nach Terminart</translation>
        </message>
        <message>
            <source>Vorherige Woche</source>
            <translation>Vorherige Woche</translation>
        </message>
        <message>
            <source>Nächste Woche</source>
            <translation>Nächste Woche</translation>
        </message>
        <message>
            <source>Vorheriger Monat</source>
            <translation>Vorheriger Monat</translation>
        </message>
        <message>
            <source>Nächster Monat</source>
            <translation>Nächster Monat</translation>
        </message>
        <message>
            <source>Vorheriger Tag</source>
            <translation>Vorheriger Tag</translation>
        </message>
        <message>
            <source>Nächster Tag</source>
            <translation>Nächster Tag</translation>
        </message>
        <message>
            <source>KW {0}: {1} – {2}</source>
            <translation>KW {0}: {1} – {2}</translation>
        </message>
        <message>
            <source>Im Monat zuerst einen Tag anklicken.</source>
            <translation>Im Monat zuerst einen Tag anklicken.</translation>
        </message>
        <message>
            <source>Die Tagesliste gibt es in der Tages-, Wochen- und Raumansicht.</source>
            <translation>Die Tagesliste gibt es in der Tages-, Wochen- und Raumansicht.</translation>
        </message>
        <message>
            <source>{0} Termine</source>
            <translation>{0} Termine</translation>
        </message>
        <message>
            <source>1 Termin</source>
            <translation>1 Termin</translation>
        </message>
        <message>
            <source>Terminkette „{0}“ gebucht ({1} Schritte).</source>
            <translation>Terminkette „{0}“ gebucht ({1} Schritte).</translation>
        </message>
        <message>
            <source>Termin nicht verschoben: {0}</source>
            <translation>Termin nicht verschoben: {0}</translation>
        </message>
        <message>
            <source>Tagesliste aller Ärzte drucken …</source>
            <translation>Tagesliste aller Ärzte drucken …</translation>
        </message>
        <message>
            <source>Tagesliste aller Ärzte als PDF speichern …</source>
            <translation>Tagesliste aller Ärzte als PDF speichern …</translation>
        </message>
        <message>
            <source>Tagesliste eines Arztes als PDF</source>
            <translation>Tagesliste eines Arztes als PDF</translation>
        </message>
        <message>
            <source>Tagesliste {0}</source>
            <translation>Tagesliste {0}</translation>
        </message>
        <message>
            <source>Tagesliste als PDF speichern</source>
            <translation>Tagesliste als PDF speichern</translation>
        </message>
        <message>
            <source>Tagesliste-{0}.pdf</source>
            <translation>Tagesliste-{0}.pdf</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Die PDF-Datei wurde nicht gespeichert: {0}</source>
            <translation>Die PDF-Datei wurde nicht gespeichert: {0}</translation>
        </message>
        <message>
            <source>Tagesliste drucken</source>
            <translation>Tagesliste drucken</translation>
        </message>
    </context>
    <context>
        <name>CalendarView</name>
        <message>
            <source>Terminkalender</source>
            <extracomment>Strg+D on a selected appointment: "Patient ist da" (the one check-in key) Page-level commands typed while the grid has focus ("new", "today", "prev", "next", "undo")</extracomment>
            <translation>Terminkalender</translation>
        </message>
    </context>
    <context>
        <name>CancelDialog</name>
        <message>
            <source>Termin absagen</source>
            <extracomment>Roles that may change appointments (rbac-appointments.md); a doctor only their own.</extracomment>
            <translation>Termin absagen</translation>
        </message>
        <message>
            <source>Termin von {0} am {1} um {2} Uhr absagen.</source>
            <translation>Termin von {0} am {1} um {2} Uhr absagen.</translation>
        </message>
        <message>
            <source>&amp;Grund der Absage:</source>
            <translation>&amp;Grund der Absage:</translation>
        </message>
        <message>
            <source>Grund der Absage</source>
            <translation>Grund der Absage</translation>
        </message>
        <message>
            <source>z. B. Patientin hat angerufen, ist erkrankt</source>
            <translation>z. B. Patientin hat angerufen, ist erkrankt</translation>
        </message>
        <message>
            <source>Termin &amp;absagen</source>
            <translation>Termin &amp;absagen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
    </context>
    <context>
        <name>CancelScopeDialog</name>
        <message>
            <source>Serientermin absagen</source>
            <translation>Serientermin absagen</translation>
        </message>
        <message>
            <source>Dieser Termin gehört zu einer Serie (Termin {0}). Was soll abgesagt werden?</source>
            <translation>Dieser Termin gehört zu einer Serie (Termin {0}). Was soll abgesagt werden?</translation>
        </message>
        <message>
            <source>Nur &amp;diesen Termin</source>
            <translation>Nur &amp;diesen Termin</translation>
        </message>
        <message>
            <source>Diesen und alle &amp;folgenden</source>
            <translation>Diesen und alle &amp;folgenden</translation>
        </message>
        <message>
            <source>Die ganze &amp;Serie</source>
            <translation>Die ganze &amp;Serie</translation>
        </message>
        <message>
            <source>&amp;Absagen</source>
            <translation>&amp;Absagen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
    </context>
    <context>
        <name>CandidateRow</name>
        <message>
            <source>☎ {0}</source>
            <extracomment>Changes that can add a freed slot or candidates to one: always read the slots again. Changes that can fill a shown slot (a booking elsewhere) or rename a candidate: read again only while slots are shown (freeing time announces a slot of its own). Who may read freed slots and book from them (docs/waiting-list.md §6). Candidates shown per slot; the rest are counted ("+ 3 weitere").</extracomment>
            <translation>☎ {0}</translation>
        </message>
        <message>
            <source>keine Telefonnummer</source>
            <translation>keine Telefonnummer</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>Buchen</source>
            <translation>Buchen</translation>
        </message>
        <message>
            <source>{0} um {1} bei {2} buchen</source>
            <translation>{0} um {1} bei {2} buchen</translation>
        </message>
        <message>
            <source>{0} buchen</source>
            <translation>{0} buchen</translation>
        </message>
    </context>
    <context>
        <name>ChainBookingDialog</name>
        <message>
            <source>Terminkette buchen</source>
            <translation>Terminkette buchen</translation>
        </message>
        <message>
            <source>Vorlage</source>
            <translation>Vorlage</translation>
        </message>
        <message>
            <source>&amp;Vorschläge suchen</source>
            <translation>&amp;Vorschläge suchen</translation>
        </message>
        <message>
            <source>&amp;Vorlage:</source>
            <translation>&amp;Vorlage:</translation>
        </message>
        <message>
            <source>&amp;Patient:</source>
            <translation>&amp;Patient:</translation>
        </message>
        <message>
            <source>Ab &amp;Datum:</source>
            <translation>Ab &amp;Datum:</translation>
        </message>
        <message>
            <source>Vorschläge</source>
            <translation>Vorschläge</translation>
        </message>
        <message>
            <source>&amp;Buchen</source>
            <translation>&amp;Buchen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Vorlagen werden geladen …</source>
            <translation>Vorlagen werden geladen …</translation>
        </message>
        <message>
            <source>{0} ({1} Schritte)</source>
            <translation>{0} ({1} Schritte)</translation>
        </message>
        <message>
            <source>Keine Vorlage – Terminketten unter Stammdaten anlegen.</source>
            <translation>Keine Vorlage – Terminketten unter Stammdaten anlegen.</translation>
        </message>
        <message>
            <source>Bitte Vorlage und Patient wählen.</source>
            <translation>Bitte Vorlage und Patient wählen.</translation>
        </message>
        <message>
            <source>Suche …</source>
            <translation>Suche …</translation>
        </message>
        <message>
            <source>Vorschlag {0}</source>
            <translation>Vorschlag {0}</translation>
        </message>
        <message>
            <source>{0} Vorschläge – einen wählen und buchen.</source>
            <translation>{0} Vorschläge – einen wählen und buchen.</translation>
        </message>
        <message>
            <source>Keine vollständige Kette im Suchzeitraum (6 Wochen).</source>
            <translation>Keine vollständige Kette im Suchzeitraum (6 Wochen).</translation>
        </message>
        <message>
            <source>Wird gebucht …</source>
            <translation>Wird gebucht …</translation>
        </message>
        <message>
            <source>{0} Neue Vorschläge:</source>
            <translation>{0} Neue Vorschläge:</translation>
        </message>
        <message>
            <source>Fehler: {0}</source>
            <translation>Fehler: {0}</translation>
        </message>
    </context>
    <context>
        <name>ChainTemplatesPage</name>
        <message>
            <source>Vorlagen</source>
            <translation>Vorlagen</translation>
        </message>
        <message>
            <source>&amp;Neue Vorlage</source>
            <translation>&amp;Neue Vorlage</translation>
        </message>
        <message>
            <source>&amp;Löschen …</source>
            <translation>&amp;Löschen …</translation>
        </message>
        <message>
            <source>aktiv</source>
            <translation>aktiv</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <source>Schritte</source>
            <translation>Schritte</translation>
        </message>
        <message>
            <source>Schritt</source>
            <translation>Schritt</translation>
        </message>
        <message>
            <source>Art</source>
            <translation>Art</translation>
        </message>
        <message>
            <source>Dauer</source>
            <translation>Dauer</translation>
        </message>
        <message>
            <source>Ärzte</source>
            <translation>Ärzte</translation>
        </message>
        <message>
            <source>Abstand</source>
            <translation>Abstand</translation>
        </message>
        <message>
            <source>Schritt &amp;hinzufügen</source>
            <translation>Schritt &amp;hinzufügen</translation>
        </message>
        <message>
            <source>Schritt &amp;entfernen</source>
            <translation>Schritt &amp;entfernen</translation>
        </message>
        <message>
            <source>Termin</source>
            <translation>Termin</translation>
        </message>
        <message>
            <source>OP</source>
            <translation>OP</translation>
        </message>
        <message>
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <source>Räume</source>
            <translation>Räume</translation>
        </message>
        <message>
            <source>Geräte</source>
            <translation>Geräte</translation>
        </message>
        <message>
            <source>am selben Tag</source>
            <translation>am selben Tag</translation>
        </message>
        <message>
            <source>nächster Arbeitstag</source>
            <translation>nächster Arbeitstag</translation>
        </message>
        <message>
            <source>Minuten</source>
            <translation>Minuten</translation>
        </message>
        <message>
            <source>Stunden</source>
            <translation>Stunden</translation>
        </message>
        <message>
            <source>Tage</source>
            <translation>Tage</translation>
        </message>
        <message>
            <source>von</source>
            <translation>von</translation>
        </message>
        <message>
            <source>bis</source>
            <translation>bis</translation>
        </message>
        <message>
            <source>Schritt&amp;name:</source>
            <translation>Schritt&amp;name:</translation>
        </message>
        <message>
            <source>A&amp;rt:</source>
            <translation>A&amp;rt:</translation>
        </message>
        <message>
            <source>&amp;Terminart/OP-Art:</source>
            <translation>&amp;Terminart/OP-Art:</translation>
        </message>
        <message>
            <source>&amp;Dauer:</source>
            <translation>&amp;Dauer:</translation>
        </message>
        <message>
            <source>Ä&amp;rzte (einer davon):</source>
            <translation>Ä&amp;rzte (einer davon):</translation>
        </message>
        <message>
            <source>Räu&amp;me (einer davon):</source>
            <translation>Räu&amp;me (einer davon):</translation>
        </message>
        <message>
            <source>&amp;Geräte (alle):</source>
            <translation>&amp;Geräte (alle):</translation>
        </message>
        <message>
            <source>Abstand zum &amp;vorigen Schritt:</source>
            <translation>Abstand zum &amp;vorigen Schritt:</translation>
        </message>
        <message>
            <source>&amp;Speichern</source>
            <translation>&amp;Speichern</translation>
        </message>
        <message>
            <source>Terminketten-Vorlagen pflegen Administratoren.</source>
            <translation>Terminketten-Vorlagen pflegen Administratoren.</translation>
        </message>
        <message>
            <source>Fehler: {0}</source>
            <translation>Fehler: {0}</translation>
        </message>
        <message>
            <source>Min.</source>
            <translation>Min.</translation>
        </message>
        <message>
            <source>Std.</source>
            <translation>Std.</translation>
        </message>
        <message>
            <source>– keine –</source>
            <translation>– keine –</translation>
        </message>
        <message>
            <source>Neue Terminkette</source>
            <translation>Neue Terminkette</translation>
        </message>
        <message>
            <source>Schritt {0}</source>
            <translation>Schritt {0}</translation>
        </message>
        <message>
            <source>Wird gespeichert …</source>
            <translation>Wird gespeichert …</translation>
        </message>
        <message>
            <source>Gespeichert.</source>
            <translation>Gespeichert.</translation>
        </message>
        <message>
            <source>Nicht gespeichert: {0}</source>
            <translation>Nicht gespeichert: {0}</translation>
        </message>
        <message>
            <source>Vorlage löschen</source>
            <translation>Vorlage löschen</translation>
        </message>
        <message>
            <source>Die Vorlage „{0}“ löschen? Gebuchte Ketten bleiben erhalten.</source>
            <translation>Die Vorlage „{0}“ löschen? Gebuchte Ketten bleiben erhalten.</translation>
        </message>
    </context>
    <context>
        <name>ChecklistButton</name>
        <message>
            <source>Alle</source>
            <extracomment>the ticked entries changed (read ``checked_ids``)</extracomment>
            <translation>Alle</translation>
        </message>
        <message>
            <source>{0}: alle</source>
            <translation>{0}: alle</translation>
        </message>
        <message>
            <source>{0}: {1} von {2}</source>
            <translation>{0}: {1} von {2}</translation>
        </message>
    </context>
    <context>
        <name>ConsentPanel</name>
        <message>
            <source>Terminerinnerungen gehen nur auf den Wegen hinaus, für die der Patient eingewilligt hat. Die Nachrichten nennen keine medizinischen Inhalte.</source>
            <translation>Terminerinnerungen gehen nur auf den Wegen hinaus, für die der Patient eingewilligt hat. Die Nachrichten nennen keine medizinischen Inhalte.</translation>
        </message>
        <message>
            <source>Erinnerungen per E-Mail erlaubt</source>
            <translation>Erinnerungen per E-Mail erlaubt</translation>
        </message>
        <message>
            <source>Erinnerungen per SMS erlaubt</source>
            <translation>Erinnerungen per SMS erlaubt</translation>
        </message>
        <message>
            <source>Erst nach dem Speichern des Patienten.</source>
            <translation>Erst nach dem Speichern des Patienten.</translation>
        </message>
        <message>
            <source>Noch nicht erfasst.</source>
            <translation>Noch nicht erfasst.</translation>
        </message>
        <message>
            <source>Eingewilligt</source>
            <translation>Eingewilligt</translation>
        </message>
        <message>
            <source>Nicht eingewilligt</source>
            <translation>Nicht eingewilligt</translation>
        </message>
        <message>
            <source>{0} – erfasst von {1} am {2} um {3} Uhr.</source>
            <translation>{0} – erfasst von {1} am {2} um {3} Uhr.</translation>
        </message>
        <message>
            <source>Einwilligung gespeichert.</source>
            <translation>Einwilligung gespeichert.</translation>
        </message>
    </context>
    <context>
        <name>DayList</name>
        <message>
            <source>geplant</source>
            <translation>geplant</translation>
        </message>
        <message>
            <source>bestätigt</source>
            <translation>bestätigt</translation>
        </message>
        <message>
            <source>erledigt</source>
            <translation>erledigt</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>nicht erschienen</source>
            <translation>nicht erschienen</translation>
        </message>
        <message>
            <source>Tagesliste {0}, {1}</source>
            <translation>Tagesliste {0}, {1}</translation>
        </message>
        <message>
            <source>Abwesend: {0}</source>
            <translation>Abwesend: {0}</translation>
        </message>
        <message>
            <source>Abwesend</source>
            <translation>Abwesend</translation>
        </message>
        <message>
            <source>Zeit</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
    </context>
    <context>
        <name>DisplaySetupDialog</name>
        <message>
            <source>Aufrufanzeige einrichten</source>
            <extracomment>The credential store's account name for the display access (one per server).</extracomment>
            <translation>Aufrufanzeige einrichten</translation>
        </message>
        <message>
            <source>Den Zugang legt eine Administratorin unter Einstellungen → Praxis → „Zugang anlegen“ an.</source>
            <translation>Den Zugang legt eine Administratorin unter Einstellungen → Praxis → „Zugang anlegen“ an.</translation>
        </message>
        <message>
            <source>Serveradresse</source>
            <translation>Serveradresse</translation>
        </message>
        <message>
            <source>Zugang der Anzeige</source>
            <translation>Zugang der Anzeige</translation>
        </message>
        <message>
            <source>Zugang</source>
            <translation>Zugang</translation>
        </message>
    </context>
    <context>
        <name>DisplayWindow</name>
        <message>
            <source>PraxiApp – Aufrufanzeige</source>
            <extracomment>A board was shown (tests wait for it). monotonic time of the last board shown</extracomment>
            <translation>PraxiApp – Aufrufanzeige</translation>
        </message>
        <message>
            <source>Aufruf</source>
            <translation>Aufruf</translation>
        </message>
        <message>
            <source>Aufgerufene Nummer</source>
            <translation>Aufgerufene Nummer</translation>
        </message>
        <message>
            <source>Bitte warten Sie, bis Ihre Nummer erscheint.</source>
            <translation>Bitte warten Sie, bis Ihre Nummer erscheint.</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Zuletzt aufgerufen</source>
            <translation>Zuletzt aufgerufen</translation>
        </message>
        <message>
            <source>→ {0}</source>
            <translation>→ {0}</translation>
        </message>
        <message>
            <source>Verbindung unterbrochen – wird wiederhergestellt …</source>
            <translation>Verbindung unterbrochen – wird wiederhergestellt …</translation>
        </message>
        <message>
            <source>Der Zugang dieser Anzeige ist ungültig oder wurde widerrufen.</source>
            <translation>Der Zugang dieser Anzeige ist ungültig oder wurde widerrufen.</translation>
        </message>
    </context>
    <context>
        <name>EntryDialog</name>
        <message>
            <source>Wartelisteneintrag bearbeiten</source>
            <extracomment>the day choices of a window row: (days, text shown) — text built from the weekday names What the front desk says most: "vormittags", "nachmittags" (ends of the usual hours). "spätestens" offered four weeks ahead when it is ticked</extracomment>
            <translation>Wartelisteneintrag bearbeiten</translation>
        </message>
        <message>
            <source>Auf die Warteliste</source>
            <translation>Auf die Warteliste</translation>
        </message>
        <message>
            <source>&amp;Patient:</source>
            <translation>&amp;Patient:</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>{0} ({1} Min.)</source>
            <translation>{0} ({1} Min.)</translation>
        </message>
        <message>
            <source>&amp;Terminart:</source>
            <translation>&amp;Terminart:</translation>
        </message>
        <message>
            <source>Gewünschte Ärzte</source>
            <translation>Gewünschte Ärzte</translation>
        </message>
        <message>
            <source>Ohne Haken: jeder Arzt</source>
            <translation>Ohne Haken: jeder Arzt</translation>
        </message>
        <message>
            <source>Ä&amp;rzte:</source>
            <translation>Ä&amp;rzte:</translation>
        </message>
        <message>
            <source>Frühestens</source>
            <translation>Frühestens</translation>
        </message>
        <message>
            <source>spätestens</source>
            <translation>spätestens</translation>
        </message>
        <message>
            <source>Spätestens</source>
            <translation>Spätestens</translation>
        </message>
        <message>
            <source>ab</source>
            <translation>ab</translation>
        </message>
        <message>
            <source>&amp;Zeitraum:</source>
            <translation>&amp;Zeitraum:</translation>
        </message>
        <message>
            <source>Zeit&amp;fenster:</source>
            <translation>Zeit&amp;fenster:</translation>
        </message>
        <message>
            <source>Priorität</source>
            <translation>Priorität</translation>
        </message>
        <message>
            <source>Pri&amp;orität:</source>
            <translation>Pri&amp;orität:</translation>
        </message>
        <message>
            <source>z. B. „kann kurzfristig kommen“</source>
            <translation>z. B. „kann kurzfristig kommen“</translation>
        </message>
        <message>
            <source>&amp;Notiz:</source>
            <translation>&amp;Notiz:</translation>
        </message>
        <message>
            <source>Hinweis</source>
            <translation>Hinweis</translation>
        </message>
        <message>
            <source>Wochentage des Zeitfensters</source>
            <translation>Wochentage des Zeitfensters</translation>
        </message>
        <message>
            <source>Tageszeit des Zeitfensters</source>
            <translation>Tageszeit des Zeitfensters</translation>
        </message>
        <message>
            <source>vormittags</source>
            <translation>vormittags</translation>
        </message>
        <message>
            <source>nachmittags</source>
            <translation>nachmittags</translation>
        </message>
        <message>
            <source>eigene Zeit</source>
            <translation>eigene Zeit</translation>
        </message>
        <message>
            <source>von</source>
            <translation>von</translation>
        </message>
        <message>
            <source>bis</source>
            <translation>bis</translation>
        </message>
        <message>
            <source>&amp;Hinzufügen</source>
            <translation>&amp;Hinzufügen</translation>
        </message>
        <message>
            <source>Zeitfenster</source>
            <translation>Zeitfenster</translation>
        </message>
        <message>
            <source>Entfernen</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Das Zeitfenster muss vor seinem Ende beginnen.</source>
            <translation>Das Zeitfenster muss vor seinem Ende beginnen.</translation>
        </message>
        <message>
            <source>Ohne Zeitfenster: jederzeit in den Sprechzeiten.</source>
            <translation>Ohne Zeitfenster: jederzeit in den Sprechzeiten.</translation>
        </message>
        <message>
            <source>Keine Terminart mit Dauer angelegt (Stammdaten → Terminarten).</source>
            <translation>Keine Terminart mit Dauer angelegt (Stammdaten → Terminarten).</translation>
        </message>
        <message>
            <source>Nicht gespeichert: {0}</source>
            <translation>Nicht gespeichert: {0}</translation>
        </message>
    </context>
    <context>
        <name>Launcher</name>
        <message>
            <source>Der Server konnte nicht gestartet werden.</source>
            <extracomment>``--ca-file``: wins over the stored setting for this run, like ``--server``.</extracomment>
            <translation>Der Server konnte nicht gestartet werden.</translation>
        </message>
        <message>
            <source>Datenbank wird gestartet …</source>
            <translation>Datenbank wird gestartet …</translation>
        </message>
        <message>
            <source>Verbindung zu {0} wird hergestellt …</source>
            <translation>Verbindung zu {0} wird hergestellt …</translation>
        </message>
        <message>
            <source>Der Server wurde unerwartet beendet (Code {0}).</source>
            <translation>Der Server wurde unerwartet beendet (Code {0}).</translation>
        </message>
        <message>
            <source>Der Server antwortet nicht.</source>
            <translation>Der Server antwortet nicht.</translation>
        </message>
        <message>
            <source>Der Server ist nicht erreichbar.</source>
            <translation>Der Server ist nicht erreichbar.</translation>
        </message>
        <message>
            <source>Einrichtung wird geprüft …</source>
            <translation>Einrichtung wird geprüft …</translation>
        </message>
        <message>
            <source>Anmeldung wird fortgesetzt …</source>
            <translation>Anmeldung wird fortgesetzt …</translation>
        </message>
        <message>
            <source>Server wird gestartet …</source>
            <translation>Server wird gestartet …</translation>
        </message>
        <message>
            <source>Verbindung wird hergestellt …</source>
            <translation>Verbindung wird hergestellt …</translation>
        </message>
        <message>
            <source>Datenbank wird gestartet und aktualisiert …</source>
            <translation>Datenbank wird gestartet und aktualisiert …</translation>
        </message>
    </context>
    <context>
        <name>LegendButton</name>
        <message>
            <source>Legende</source>
            <translation>Legende</translation>
        </message>
        <message>
            <source>Was Symbole, Farben und Markierungen im Kalender bedeuten</source>
            <translation>Was Symbole, Farben und Markierungen im Kalender bedeuten</translation>
        </message>
        <message>
            <source>Legende ein- oder ausblenden</source>
            <translation>Legende ein- oder ausblenden</translation>
        </message>
    </context>
    <context>
        <name>LegendPanel</name>
        <message>
            <source>Legende des Kalenders</source>
            <translation>Legende des Kalenders</translation>
        </message>
        <message>
            <source>Status (Symbol, Farbe und Wort auf dem Termin)</source>
            <translation>Status (Symbol, Farbe und Wort auf dem Termin)</translation>
        </message>
        <message>
            <source>Markierungen im Raster</source>
            <extracomment>the label of each entry, by its text (tests and screen readers find them)</extracomment>
            <translation>Markierungen im Raster</translation>
        </message>
        <message>
            <source>Blockfarbe: Arzt oder Terminart (Auswahl „Farbe nach …“ oben).</source>
            <translation>Blockfarbe: Arzt oder Terminart (Auswahl „Farbe nach …“ oben).</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>Anmelden – PraxiApp</source>
            <translation>Anmelden – PraxiApp</translation>
        </message>
        <message>
            <source>Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</source>
            <translation>Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.</translation>
        </message>
        <message>
            <source>Bitte melden Sie sich an.</source>
            <translation>Bitte melden Sie sich an.</translation>
        </message>
        <message>
            <source>Benutzername</source>
            <translation>Benutzername</translation>
        </message>
        <message>
            <source>Passwort</source>
            <translation>Passwort</translation>
        </message>
        <message>
            <source>&amp;Benutzername:</source>
            <translation>&amp;Benutzername:</translation>
        </message>
        <message>
            <source>&amp;Passwort:</source>
            <translation>&amp;Passwort:</translation>
        </message>
        <message>
            <source>Angemeldet bleiben</source>
            <translation>Angemeldet bleiben</translation>
        </message>
        <message>
            <source>Server: {0}</source>
            <translation>Server: {0}</translation>
        </message>
        <message>
            <source>CA-Zertifikat: {0}</source>
            <translation>CA-Zertifikat: {0}</translation>
        </message>
        <message>
            <source>Anmelden</source>
            <translation>Anmelden</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Bitte Benutzername und Passwort eingeben.</source>
            <translation>Bitte Benutzername und Passwort eingeben.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Heute</source>
            <extracomment>(key, label, roles that see it; None = every role); labels are shown through ``self.tr``.</extracomment>
            <translation>Heute</translation>
        </message>
        <message>
            <source>Kalender</source>
            <translation>Kalender</translation>
        </message>
        <message>
            <source>OP-Plan</source>
            <translation>OP-Plan</translation>
        </message>
        <message>
            <source>Patientenfluss</source>
            <translation>Patientenfluss</translation>
        </message>
        <message>
            <source>Patienten</source>
            <translation>Patienten</translation>
        </message>
        <message>
            <source>Warteliste</source>
            <translation>Warteliste</translation>
        </message>
        <message>
            <source>Statistik</source>
            <translation>Statistik</translation>
        </message>
        <message>
            <source>Stammdaten</source>
            <translation>Stammdaten</translation>
        </message>
        <message>
            <source>Benutzer</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Audit-Log</source>
            <translation>Audit-Log</translation>
        </message>
        <message>
            <source>Einstellungen</source>
            <translation>Einstellungen</translation>
        </message>
        <message>
            <source>PraxiApp</source>
            <translation>PraxiApp</translation>
        </message>
        <message>
            <source>Verbindungshinweis</source>
            <translation>Verbindungshinweis</translation>
        </message>
        <message>
            <source>Navigation</source>
            <translation>Navigation</translation>
        </message>
        <message>
            <source>Heute (T)</source>
            <translation>Heute (T)</translation>
        </message>
        <message>
            <source>Zurück (Bild auf)</source>
            <translation>Zurück (Bild auf)</translation>
        </message>
        <message>
            <source>Zurück</source>
            <translation>Zurück</translation>
        </message>
        <message>
            <source>Weiter (Bild ab)</source>
            <translation>Weiter (Bild ab)</translation>
        </message>
        <message>
            <source>Weiter</source>
            <translation>Weiter</translation>
        </message>
        <message>
            <source>Datum</source>
            <translation>Datum</translation>
        </message>
        <message>
            <source>Verbindungsstatus</source>
            <translation>Verbindungsstatus</translation>
        </message>
        <message>
            <source>Kalender abonnieren …</source>
            <translation>Kalender abonnieren …</translation>
        </message>
        <message>
            <source>Abmelden</source>
            <translation>Abmelden</translation>
        </message>
        <message>
            <source>{0} (Bild auf)</source>
            <translation>{0} (Bild auf)</translation>
        </message>
        <message>
            <source>{0} (Bild ab)</source>
            <translation>{0} (Bild ab)</translation>
        </message>
        <message>
            <source>Verbunden</source>
            <translation>Verbunden</translation>
        </message>
        <message>
            <source> · live</source>
            <translation> · live</translation>
        </message>
        <message>
            <source>Änderungen anderer Arbeitsplätze erscheinen sofort.</source>
            <translation>Änderungen anderer Arbeitsplätze erscheinen sofort.</translation>
        </message>
        <message>
            <source>Live-Aktualisierung wird verbunden …</source>
            <translation>Live-Aktualisierung wird verbunden …</translation>
        </message>
        <message>
            <source>Verbindung zum Server unterbrochen – es wird automatisch erneut verbunden …</source>
            <translation>Verbindung zum Server unterbrochen – es wird automatisch erneut verbunden …</translation>
        </message>
        <message>
            <source>Getrennt</source>
            <translation>Getrennt</translation>
        </message>
    </context>
    <context>
        <name>MasterData</name>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Gerät</source>
            <translation>Gerät</translation>
        </message>
        <message>
            <source>ja</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>nein</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>{0} Min.</source>
            <translation>{0} Min.</translation>
        </message>
        <message>
            <source>Aktiv</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Terminarten</source>
            <translation>Terminarten</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Dauer</source>
            <translation>Dauer</translation>
        </message>
        <message>
            <source> Min.</source>
            <translation> Min.</translation>
        </message>
        <message>
            <source>Farbe</source>
            <translation>Farbe</translation>
        </message>
        <message>
            <source>Nur Administratoren können Terminarten ändern.</source>
            <translation>Nur Administratoren können Terminarten ändern.</translation>
        </message>
        <message>
            <source>Terminart löschen? Wird sie noch verwendet, bitte deaktivieren.</source>
            <translation>Terminart löschen? Wird sie noch verwendet, bitte deaktivieren.</translation>
        </message>
        <message>
            <source>OP-Arten</source>
            <translation>OP-Arten</translation>
        </message>
        <message>
            <source>Vorbereitung</source>
            <translation>Vorbereitung</translation>
        </message>
        <message>
            <source>OP</source>
            <translation>OP</translation>
        </message>
        <message>
            <source>Nachbereitung</source>
            <translation>Nachbereitung</translation>
        </message>
        <message>
            <source>OP-Dauer</source>
            <translation>OP-Dauer</translation>
        </message>
        <message>
            <source>Nur Administratoren können OP-Arten ändern.</source>
            <translation>Nur Administratoren können OP-Arten ändern.</translation>
        </message>
        <message>
            <source>OP-Art löschen? Wird sie noch verwendet, bitte deaktivieren.</source>
            <translation>OP-Art löschen? Wird sie noch verwendet, bitte deaktivieren.</translation>
        </message>
        <message>
            <source>Räume und Geräte</source>
            <translation>Räume und Geräte</translation>
        </message>
        <message>
            <source>Art</source>
            <translation>Art</translation>
        </message>
        <message>
            <source>OP-Saal</source>
            <translation>OP-Saal</translation>
        </message>
        <message>
            <source>Räume und Geräte ändern Administratoren und MFA.</source>
            <translation>Räume und Geräte ändern Administratoren und MFA.</translation>
        </message>
        <message>
            <source>Ressource löschen? Ist sie verplant, bitte deaktivieren.</source>
            <translation>Ressource löschen? Ist sie verplant, bitte deaktivieren.</translation>
        </message>
        <message>
            <source>Praxiszeiten</source>
            <translation>Praxiszeiten</translation>
        </message>
        <message>
            <source>Wochentag</source>
            <translation>Wochentag</translation>
        </message>
        <message>
            <source>Von</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>Bis</source>
            <translation>Bis</translation>
        </message>
        <message>
            <source>Praxiszeiten ändern Administratoren und MFA.</source>
            <translation>Praxiszeiten ändern Administratoren und MFA.</translation>
        </message>
        <message>
            <source>Sprechzeiten</source>
            <translation>Sprechzeiten</translation>
        </message>
        <message>
            <source>Sprechzeiten ändern Administratoren und MFA.</source>
            <translation>Sprechzeiten ändern Administratoren und MFA.</translation>
        </message>
        <message>
            <source>Abwesenheiten</source>
            <translation>Abwesenheiten</translation>
        </message>
        <message>
            <source>Grund</source>
            <translation>Grund</translation>
        </message>
        <message>
            <source>Arbeitstage</source>
            <translation>Arbeitstage</translation>
        </message>
        <message>
            <source>Zurück am</source>
            <translation>Zurück am</translation>
        </message>
        <message>
            <source>{0} Tage</source>
            <translation>{0} Tage</translation>
        </message>
        <message>
            <source>z. B. Urlaub, Fortbildung, Krankheit</source>
            <translation>z. B. Urlaub, Fortbildung, Krankheit</translation>
        </message>
        <message>
            <source>Abwesenheiten tragen Administratoren und MFA ein; Ärzte bearbeiten ihre eigenen.</source>
            <translation>Abwesenheiten tragen Administratoren und MFA ein; Ärzte bearbeiten ihre eigenen.</translation>
        </message>
        <message>
            <source>Neue Abwesenheit</source>
            <translation>Neue Abwesenheit</translation>
        </message>
        <message>
            <source>Pausen</source>
            <translation>Pausen</translation>
        </message>
        <message>
            <source>Datum</source>
            <translation>Datum</translation>
        </message>
        <message>
            <source>Praxisweit</source>
            <translation>Praxisweit</translation>
        </message>
        <message>
            <source>Praxisweit (alle Ärzte)</source>
            <translation>Praxisweit (alle Ärzte)</translation>
        </message>
        <message>
            <source>z. B. Mittagspause, Teambesprechung</source>
            <translation>z. B. Mittagspause, Teambesprechung</translation>
        </message>
        <message>
            <source>Pausen tragen Administratoren und MFA ein; Ärzte bearbeiten ihre eigenen.</source>
            <translation>Pausen tragen Administratoren und MFA ein; Ärzte bearbeiten ihre eigenen.</translation>
        </message>
        <message>
            <source>Räume/Geräte</source>
            <translation>Räume/Geräte</translation>
        </message>
        <message>
            <source>Erinnerungen</source>
            <translation>Erinnerungen</translation>
        </message>
        <message>
            <source>Terminketten</source>
            <translation>Terminketten</translation>
        </message>
    </context>
    <context>
        <name>MonthView</name>
        <message>
            <source>Monatsübersicht</source>
            <extracomment>The birth date the server appends to a patient's name; a month cell has no room for it.</extracomment>
            <translation>Monatsübersicht</translation>
        </message>
        <message>
            <source>+ {0} weitere</source>
            <translation>+ {0} weitere</translation>
        </message>
    </context>
    <context>
        <name>NachrueckerPanel</name>
        <message>
            <source>Nachrücker</source>
            <extracomment>the new appointment's id and its time as a :class:`Slot` (the calendar shows it) the freed slots were read (and shown)</extracomment>
            <translation>Nachrücker</translation>
        </message>
        <message>
            <source>Alle gezeigten freien Termine ausblenden</source>
            <translation>Alle gezeigten freien Termine ausblenden</translation>
        </message>
        <message>
            <source>Nachrücker schließen</source>
            <translation>Nachrücker schließen</translation>
        </message>
        <message>
            <source>Freie Termine und wer von der Warteliste passt – anrufen, dann buchen.</source>
            <translation>Freie Termine und wer von der Warteliste passt – anrufen, dann buchen.</translation>
        </message>
        <message>
            <source>Hinweis zu den Nachrückern</source>
            <translation>Hinweis zu den Nachrückern</translation>
        </message>
        <message>
            <source>Wird gebucht …</source>
            <translation>Wird gebucht …</translation>
        </message>
        <message>
            <source>Gebucht: {0} · {1} bei {2}.</source>
            <translation>Gebucht: {0} · {1} bei {2}.</translation>
        </message>
        <message>
            <source>Die nächsten Kandidaten stehen unten.</source>
            <translation>Die nächsten Kandidaten stehen unten.</translation>
        </message>
        <message>
            <source>Für diesen Termin wartet niemand mehr, der passt.</source>
            <translation>Für diesen Termin wartet niemand mehr, der passt.</translation>
        </message>
        <message>
            <source>Nicht gebucht: {0} {1}</source>
            <translation>Nicht gebucht: {0} {1}</translation>
        </message>
        <message>
            <source>Nicht gebucht: {0}</source>
            <translation>Nicht gebucht: {0}</translation>
        </message>
    </context>
    <context>
        <name>NewPatientPanel</name>
        <message>
            <source>Neuen Patienten anlegen</source>
            <translation>Neuen Patienten anlegen</translation>
        </message>
        <message>
            <source>&lt;b&gt;Neuer Patient&lt;/b&gt;</source>
            <translation>&lt;b&gt;Neuer Patient&lt;/b&gt;</translation>
        </message>
        <message>
            <source>TT.MM.JJJJ</source>
            <translation>TT.MM.JJJJ</translation>
        </message>
        <message>
            <source>Nachna&amp;me:</source>
            <translation>Nachna&amp;me:</translation>
        </message>
        <message>
            <source>&amp;Vorname:</source>
            <translation>&amp;Vorname:</translation>
        </message>
        <message>
            <source>&amp;Geburtsdatum:</source>
            <translation>&amp;Geburtsdatum:</translation>
        </message>
        <message>
            <source>Verwerfen</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <source>Zurück zur Patientensuche</source>
            <translation>Zurück zur Patientensuche</translation>
        </message>
        <message>
            <source>Patient an&amp;legen</source>
            <translation>Patient an&amp;legen</translation>
        </message>
        <message>
            <source>Bitte den Nachnamen eingeben.</source>
            <translation>Bitte den Nachnamen eingeben.</translation>
        </message>
        <message>
            <source>Bitte ein gültiges Datum eingeben (TT.MM.JJJJ).</source>
            <translation>Bitte ein gültiges Datum eingeben (TT.MM.JJJJ).</translation>
        </message>
        <message>
            <source>Keine Verbindung zum Server. Die Eingaben bleiben erhalten – bitte erneut anlegen, sobald die Verbindung wieder besteht.</source>
            <translation>Keine Verbindung zum Server. Die Eingaben bleiben erhalten – bitte erneut anlegen, sobald die Verbindung wieder besteht.</translation>
        </message>
    </context>
    <context>
        <name>OccurrenceRow</name>
        <message>
            <source>{0} übernehmen</source>
            <translation>{0} übernehmen</translation>
        </message>
        <message>
            <source>Diesen Termin zu dieser Zeit buchen</source>
            <translation>Diesen Termin zu dieser Zeit buchen</translation>
        </message>
        <message>
            <source>{0}  ↻ ersetzt durch {1}–{2}</source>
            <translation>{0}  ↻ ersetzt durch {1}–{2}</translation>
        </message>
        <message>
            <source>{0}  ✓ frei</source>
            <translation>{0}  ✓ frei</translation>
        </message>
        <message>
            <source>{0}  ✗ {1}</source>
            <translation>{0}  ✗ {1}</translation>
        </message>
    </context>
    <context>
        <name>OpList</name>
        <message>
            <source>Geplant</source>
            <translation>Geplant</translation>
        </message>
        <message>
            <source>Bestätigt</source>
            <translation>Bestätigt</translation>
        </message>
        <message>
            <source>Läuft</source>
            <translation>Läuft</translation>
        </message>
        <message>
            <source>Abgeschlossen</source>
            <translation>Abgeschlossen</translation>
        </message>
        <message>
            <source>Abgesagt</source>
            <translation>Abgesagt</translation>
        </message>
        <message>
            <source>Datum</source>
            <translation>Datum</translation>
        </message>
        <message>
            <source>Beginn</source>
            <translation>Beginn</translation>
        </message>
        <message>
            <source>Ende</source>
            <translation>Ende</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>OP-Art</source>
            <translation>OP-Art</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Operateur</source>
            <translation>Operateur</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Zeit</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Geräte / Notiz</source>
            <translation>Geräte / Notiz</translation>
        </message>
    </context>
    <context>
        <name>OpListWindow</name>
        <message>
            <source>OP-Liste</source>
            <extracomment>The role the table sorts by: times and dates chronologically, texts by their German words. A range longer than this is most likely a typing slip; the list would be unreadable anyway. A printed cell wraps to at most this many lines (long notes are cut, names fit).</extracomment>
            <translation>OP-Liste</translation>
        </message>
        <message>
            <source>Von</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>Bis</source>
            <translation>Bis</translation>
        </message>
        <message>
            <source>&amp;Von</source>
            <translation>&amp;Von</translation>
        </message>
        <message>
            <source>&amp;Bis</source>
            <translation>&amp;Bis</translation>
        </message>
        <message>
            <source>&amp;Drucken …</source>
            <translation>&amp;Drucken …</translation>
        </message>
        <message>
            <source>Den OP-Plan je Tag drucken (Strg+P)</source>
            <translation>Den OP-Plan je Tag drucken (Strg+P)</translation>
        </message>
        <message>
            <source>Als &amp;PDF …</source>
            <translation>Als &amp;PDF …</translation>
        </message>
        <message>
            <source>&amp;Raum</source>
            <translation>&amp;Raum</translation>
        </message>
        <message>
            <source>&amp;Operateur</source>
            <translation>&amp;Operateur</translation>
        </message>
        <message>
            <source>&amp;Status</source>
            <translation>&amp;Status</translation>
        </message>
        <message>
            <source>OP-&amp;Art</source>
            <translation>OP-&amp;Art</translation>
        </message>
        <message>
            <source>Operationen</source>
            <translation>Operationen</translation>
        </message>
        <message>
            <source>alle</source>
            <translation>alle</translation>
        </message>
        <message>
            <source>Das Ende des Zeitraums liegt vor seinem Anfang.</source>
            <translation>Das Ende des Zeitraums liegt vor seinem Anfang.</translation>
        </message>
        <message>
            <source>Bitte einen Zeitraum von höchstens {0} Tagen wählen.</source>
            <translation>Bitte einen Zeitraum von höchstens {0} Tagen wählen.</translation>
        </message>
        <message>
            <source>Keine Operationen im gewählten Zeitraum.</source>
            <translation>Keine Operationen im gewählten Zeitraum.</translation>
        </message>
        <message>
            <source>{0} von {1} Operationen</source>
            <translation>{0} von {1} Operationen</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Operateur</source>
            <translation>Operateur</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>OP-Art</source>
            <translation>OP-Art</translation>
        </message>
        <message>
            <source>Alle Operationen</source>
            <translation>Alle Operationen</translation>
        </message>
        <message>
            <source>OP-Plan</source>
            <translation>OP-Plan</translation>
        </message>
        <message>
            <source>Keine Operationen zum Drucken.</source>
            <translation>Keine Operationen zum Drucken.</translation>
        </message>
        <message>
            <source>OP-Plan als PDF speichern</source>
            <translation>OP-Plan als PDF speichern</translation>
        </message>
        <message>
            <source>OP-Plan-{0}.pdf</source>
            <translation>OP-Plan-{0}.pdf</translation>
        </message>
        <message>
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <source>Die PDF-Datei wurde nicht gespeichert: {0}</source>
            <translation>Die PDF-Datei wurde nicht gespeichert: {0}</translation>
        </message>
        <message>
            <source>OP-Plan drucken</source>
            <translation>OP-Plan drucken</translation>
        </message>
        <message>
            <source>Der Drucker oder die Datei ist nicht verfügbar.</source>
            <translation>Der Drucker oder die Datei ist nicht verfügbar.</translation>
        </message>
    </context>
    <context>
        <name>OpPlanPage</name>
        <message>
            <source>Geplant</source>
            <translation>Geplant</translation>
        </message>
        <message>
            <source>Bestätigt</source>
            <translation>Bestätigt</translation>
        </message>
        <message>
            <source>Läuft</source>
            <translation>Läuft</translation>
        </message>
        <message>
            <source>Abgeschlossen</source>
            <translation>Abgeschlossen</translation>
        </message>
        <message>
            <source>Abgesagt</source>
            <translation>Abgesagt</translation>
        </message>
        <message>
            <source>Bestätigen</source>
            <extracomment>Block fill per status. Every text on a block sits on this one colour (``timeline`` picks black or white for it; tests/desktop/test_op_block_contrast.py checks ≥ 4.5:1). The verb that leads to a status (button, menu entry), source texts as above.</extracomment>
            <translation>Bestätigen</translation>
        </message>
        <message>
            <source>Starten</source>
            <translation>Starten</translation>
        </message>
        <message>
            <source>Beenden</source>
            <translation>Beenden</translation>
        </message>
        <message>
            <source>Absagen …</source>
            <translation>Absagen …</translation>
        </message>
        <message>
            <source>&amp;Neue OP</source>
            <extracomment>Pixels per minute in the week range: at the default a Monday–Friday week of 07–20 h is about 1,750 px wide; the smallest step fits it into a narrow window. Keys of the status actions on the selected block (the view must have the focus). While an operation runs, its elapsed bar and overrun follow the clock this often: an overrun shows on every workstation within a second of the planned end (each computes it from its own clock; status changes arrive through the live events). Only running blocks repaint, so this costs next to nothing. ◀ / ▶ now move by a day or by a week</extracomment>
            <translation>&amp;Neue OP</translation>
        </message>
        <message>
            <source>Neue Operation (Strg+N) – oder auf dem Zeitplan einen freien Bereich ziehen</source>
            <translation>Neue Operation (Strg+N) – oder auf dem Zeitplan einen freien Bereich ziehen</translation>
        </message>
        <message>
            <source>Verkleinern</source>
            <translation>Verkleinern</translation>
        </message>
        <message>
            <source>Vergrößern</source>
            <translation>Vergrößern</translation>
        </message>
        <message>
            <source>Alle Räume</source>
            <translation>Alle Räume</translation>
        </message>
        <message>
            <source>Auch Räume zeigen, die kein OP-Saal sind (Stammdaten: OP-Saal)</source>
            <translation>Auch Räume zeigen, die kein OP-Saal sind (Stammdaten: OP-Saal)</translation>
        </message>
        <message>
            <source>OP-&amp;Liste</source>
            <translation>OP-&amp;Liste</translation>
        </message>
        <message>
            <source>Operationen als Tabelle: filtern, sortieren, als OP-Plan drucken</source>
            <translation>Operationen als Tabelle: filtern, sortieren, als OP-Plan drucken</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Tag</translation>
        </message>
        <message>
            <source>Tagesansicht</source>
            <translation>Tagesansicht</translation>
        </message>
        <message>
            <source>Woche</source>
            <translation>Woche</translation>
        </message>
        <message>
            <source>Wochenansicht</source>
            <translation>Wochenansicht</translation>
        </message>
        <message>
            <source>Zoom</source>
            <translation>Zoom</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>Keine Operation ausgewählt.</source>
            <translation>Keine Operation ausgewählt.</translation>
        </message>
        <message>
            <source>OP-Zeitplan ({0})</source>
            <translation>OP-Zeitplan ({0})</translation>
        </message>
        <message>
            <source>KW {0}: {1} – {2}</source>
            <translation>KW {0}: {1} – {2}</translation>
        </message>
        <message>
            <source>Vorherige Woche</source>
            <translation>Vorherige Woche</translation>
        </message>
        <message>
            <source>Nächste Woche</source>
            <translation>Nächste Woche</translation>
        </message>
        <message>
            <source>Vorheriger Tag</source>
            <translation>Vorheriger Tag</translation>
        </message>
        <message>
            <source>Nächster Tag</source>
            <translation>Nächster Tag</translation>
        </message>
        <message>
            <source>Verschieben abgelehnt: {0}</source>
            <translation>Verschieben abgelehnt: {0}</translation>
        </message>
        <message>
            <source>{0}, {1}–{2} Uhr</source>
            <translation>{0}, {1}–{2} Uhr</translation>
        </message>
        <message>
            <source>Vorbereitung {0} min · OP {1} min · Nachbereitung {2} min</source>
            <translation>Vorbereitung {0} min · OP {1} min · Nachbereitung {2} min</translation>
        </message>
        <message>
            <source>Raum: {0}</source>
            <translation>Raum: {0}</translation>
        </message>
        <message>
            <source>Operateur: {0}</source>
            <translation>Operateur: {0}</translation>
        </message>
        <message>
            <source>Assistenz: {0}</source>
            <translation>Assistenz: {0}</translation>
        </message>
        <message>
            <source>Anästhesie: {0}</source>
            <translation>Anästhesie: {0}</translation>
        </message>
        <message>
            <source>Geräte: {0}</source>
            <translation>Geräte: {0}</translation>
        </message>
        <message>
            <source>Status: &lt;b&gt;{0}&lt;/b&gt;</source>
            <translation>Status: &lt;b&gt;{0}&lt;/b&gt;</translation>
        </message>
        <message>
            <source>Notiz: {0}</source>
            <translation>Notiz: {0}</translation>
        </message>
        <message>
            <source>Status: {0}</source>
            <translation>Status: {0}</translation>
        </message>
        <message>
            <source>Bearbeiten …</source>
            <translation>Bearbeiten …</translation>
        </message>
        <message>
            <source>Starten ist ab {0} Uhr möglich.</source>
            <translation>Starten ist ab {0} Uhr möglich.</translation>
        </message>
        <message>
            <source>OP absagen</source>
            <translation>OP absagen</translation>
        </message>
        <message>
            <source>{0} für {1} am {2} um {3} Uhr absagen? Das kann nicht rückgängig gemacht werden.</source>
            <translation>{0} für {1} am {2} um {3} Uhr absagen? Das kann nicht rückgängig gemacht werden.</translation>
        </message>
        <message>
            <source>Nicht absagen</source>
            <translation>Nicht absagen</translation>
        </message>
        <message>
            <source>„{0}“ ist im Status „{1}“ nicht möglich.</source>
            <translation>„{0}“ ist im Status „{1}“ nicht möglich.</translation>
        </message>
    </context>
    <context>
        <name>OperationDialog</name>
        <message>
            <source>Operateur</source>
            <translation>Operateur</translation>
        </message>
        <message>
            <source>Assistenz</source>
            <translation>Assistenz</translation>
        </message>
        <message>
            <source>Anästhesie</source>
            <translation>Anästhesie</translation>
        </message>
        <message>
            <source>OP bearbeiten</source>
            <extracomment>The last verdict: None = not asked yet, else the conflict or "" for free.</extracomment>
            <translation>OP bearbeiten</translation>
        </message>
        <message>
            <source>Neue OP</source>
            <translation>Neue OP</translation>
        </message>
        <message>
            <source>&amp;Patient:</source>
            <translation>&amp;Patient:</translation>
        </message>
        <message>
            <source>OP-Art</source>
            <translation>OP-Art</translation>
        </message>
        <message>
            <source>OP-&amp;Art:</source>
            <translation>OP-&amp;Art:</translation>
        </message>
        <message>
            <source>OP-Raum</source>
            <translation>OP-Raum</translation>
        </message>
        <message>
            <source>&amp;Raum:</source>
            <translation>&amp;Raum:</translation>
        </message>
        <message>
            <source>Datum</source>
            <translation>Datum</translation>
        </message>
        <message>
            <source>Beginn</source>
            <translation>Beginn</translation>
        </message>
        <message>
            <source>Ende</source>
            <translation>Ende</translation>
        </message>
        <message>
            <source>&amp;Beginn:</source>
            <translation>&amp;Beginn:</translation>
        </message>
        <message>
            <source>&amp;Operateur:</source>
            <translation>&amp;Operateur:</translation>
        </message>
        <message>
            <source>Assis&amp;tenz:</source>
            <translation>Assis&amp;tenz:</translation>
        </message>
        <message>
            <source>Anäst&amp;hesie:</source>
            <translation>Anäst&amp;hesie:</translation>
        </message>
        <message>
            <source>Geräte</source>
            <translation>Geräte</translation>
        </message>
        <message>
            <source>&amp;Geräte:</source>
            <translation>&amp;Geräte:</translation>
        </message>
        <message>
            <source>Notiz</source>
            <translation>Notiz</translation>
        </message>
        <message>
            <source>&amp;Notiz:</source>
            <translation>&amp;Notiz:</translation>
        </message>
        <message>
            <source>Lade Stammdaten …</source>
            <translation>Lade Stammdaten …</translation>
        </message>
        <message>
            <source>Prüfergebnis</source>
            <translation>Prüfergebnis</translation>
        </message>
        <message>
            <source>Nächster möglicher Beginn – ein Klick übernimmt:</source>
            <translation>Nächster möglicher Beginn – ein Klick übernimmt:</translation>
        </message>
        <message>
            <source>– bitte wählen –</source>
            <translation>– bitte wählen –</translation>
        </message>
        <message>
            <source>{0} ({1} min)</source>
            <translation>{0} ({1} min)</translation>
        </message>
        <message>
            <source>– keine –</source>
            <translation>– keine –</translation>
        </message>
        <message>
            <source>Dauer ergibt sich aus der OP-Art.</source>
            <translation>Dauer ergibt sich aus der OP-Art.</translation>
        </message>
        <message>
            <source>Vorbereitung {0} min · OP {1} min · Nachbereitung {2} min = {3} min</source>
            <translation>Vorbereitung {0} min · OP {1} min · Nachbereitung {2} min = {3} min</translation>
        </message>
        <message>
            <source>bis {0} Uhr</source>
            <translation>bis {0} Uhr</translation>
        </message>
        <message>
            <source>Prüfe …</source>
            <translation>Prüfe …</translation>
        </message>
        <message>
            <source>✓ Raum, Geräte und Team sind zu dieser Zeit frei.</source>
            <translation>✓ Raum, Geräte und Team sind zu dieser Zeit frei.</translation>
        </message>
        <message>
            <source>{0}, {1} Uhr</source>
            <translation>{0}, {1} Uhr</translation>
        </message>
        <message>
            <source>Beginn übernehmen: {0}</source>
            <translation>Beginn übernehmen: {0}</translation>
        </message>
        <message>
            <source>Als Beginn übernehmen</source>
            <translation>Als Beginn übernehmen</translation>
        </message>
        <message>
            <source>Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten – bitte erneut speichern, sobald die Verbindung wieder besteht.</source>
            <translation>Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten – bitte erneut speichern, sobald die Verbindung wieder besteht.</translation>
        </message>
        <message>
            <source>{0} ({1})</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>{0} operiert bereits {1}–{2} in {3} ({4}).</source>
            <translation>{0} operiert bereits {1}–{2} in {3} ({4}).</translation>
        </message>
        <message>
            <source>{0} ist zwischen {1} und {2} bei einer anderen OP eingeteilt.</source>
            <translation>{0} ist zwischen {1} und {2} bei einer anderen OP eingeteilt.</translation>
        </message>
        <message>
            <source>{0} hat zwischen {1} und {2} einen Termin.</source>
            <translation>{0} hat zwischen {1} und {2} einen Termin.</translation>
        </message>
        <message>
            <source>{0} arbeitet am {1} nicht durchgehend von {2} bis {3} (Praxis- oder Arbeitszeiten).</source>
            <translation>{0} arbeitet am {1} nicht durchgehend von {2} bis {3} (Praxis- oder Arbeitszeiten).</translation>
        </message>
        <message>
            <source>{0} ist am {1} abwesend.</source>
            <translation>{0} ist am {1} abwesend.</translation>
        </message>
        <message>
            <source>{0} hat zwischen {1} und {2} eine Pause.</source>
            <translation>{0} hat zwischen {1} und {2} eine Pause.</translation>
        </message>
        <message>
            <source>{0} ist {1}–{2} durch eine andere OP belegt ({3}, {4}).</source>
            <translation>{0} ist {1}–{2} durch eine andere OP belegt ({3}, {4}).</translation>
        </message>
        <message>
            <source>{0} ist zwischen {1} und {2} belegt.</source>
            <translation>{0} ist zwischen {1} und {2} belegt.</translation>
        </message>
        <message>
            <source>Gerät {0} wird {1}–{2} bei einer anderen OP in {3} gebraucht.</source>
            <translation>Gerät {0} wird {1}–{2} bei einer anderen OP in {3} gebraucht.</translation>
        </message>
        <message>
            <source>Gerät {0} ist zwischen {1} und {2} belegt.</source>
            <translation>Gerät {0} ist zwischen {1} und {2} belegt.</translation>
        </message>
        <message>
            <source>(ein gewähltes)</source>
            <translation>(ein gewähltes)</translation>
        </message>
        <message>
            <source>Diese OP-Art hat keine Dauer – bitte in den Stammdaten prüfen.</source>
            <translation>Diese OP-Art hat keine Dauer – bitte in den Stammdaten prüfen.</translation>
        </message>
        <message>
            <source>Der Patient hat zwischen {0} und {1} bereits einen Termin oder eine OP.</source>
            <translation>Der Patient hat zwischen {0} und {1} bereits einen Termin oder eine OP.</translation>
        </message>
    </context>
    <context>
        <name>PasswordDialog</name>
        <message>
            <source>Passwort zurücksetzen – {0}</source>
            <translation>Passwort zurücksetzen – {0}</translation>
        </message>
        <message>
            <source>Neues Passwort</source>
            <translation>Neues Passwort</translation>
        </message>
        <message>
            <source>Passwort wiederholen</source>
            <translation>Passwort wiederholen</translation>
        </message>
        <message>
            <source>Neues Passwort:</source>
            <translation>Neues Passwort:</translation>
        </message>
        <message>
            <source>Wiederholen:</source>
            <translation>Wiederholen:</translation>
        </message>
        <message>
            <source>Alle Sitzungen des Benutzers werden danach beendet.</source>
            <translation>Alle Sitzungen des Benutzers werden danach beendet.</translation>
        </message>
        <message>
            <source>Passwort setzen</source>
            <translation>Passwort setzen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Das Passwort muss mindestens 8 Zeichen haben.</source>
            <translation>Das Passwort muss mindestens 8 Zeichen haben.</translation>
        </message>
        <message>
            <source>Die Passwörter stimmen nicht überein.</source>
            <translation>Die Passwörter stimmen nicht überein.</translation>
        </message>
    </context>
    <context>
        <name>PatientChainsDialog</name>
        <message>
            <source>Terminketten – {0}</source>
            <translation>Terminketten – {0}</translation>
        </message>
        <message>
            <source>Terminketten</source>
            <translation>Terminketten</translation>
        </message>
        <message>
            <source>Schritte</source>
            <translation>Schritte</translation>
        </message>
        <message>
            <source>Schritt</source>
            <translation>Schritt</translation>
        </message>
        <message>
            <source>Zeit</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Schritt &amp;absagen …</source>
            <translation>Schritt &amp;absagen …</translation>
        </message>
        <message>
            <source>Neuer Beginn</source>
            <translation>Neuer Beginn</translation>
        </message>
        <message>
            <source>&amp;Verschieben …</source>
            <translation>&amp;Verschieben …</translation>
        </message>
        <message>
            <source>&amp;Kette absagen</source>
            <translation>&amp;Kette absagen</translation>
        </message>
        <message>
            <source>Absage &amp;bestätigen</source>
            <translation>Absage &amp;bestätigen</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>aktiv</source>
            <translation>aktiv</translation>
        </message>
        <message>
            <source>Keine Terminketten für diesen Patienten.</source>
            <translation>Keine Terminketten für diesen Patienten.</translation>
        </message>
        <message>
            <source>Wird geprüft …</source>
            <translation>Wird geprüft …</translation>
        </message>
        <message>
            <source>Schritt {0} ({1}) absagen?</source>
            <translation>Schritt {0} ({1}) absagen?</translation>
        </message>
        <message>
            <source>Schritt {0} ({1}) auf {2} verschieben?</source>
            <translation>Schritt {0} ({1}) auf {2} verschieben?</translation>
        </message>
        <message>
            <source>{0} Danach passen die Abstände nicht mehr:
{1}</source>
            <translation>{0} Danach passen die Abstände nicht mehr:
{1}</translation>
        </message>
        <message>
            <source>{0} Die übrigen Abstände bleiben gültig.</source>
            <translation>{0} Die übrigen Abstände bleiben gültig.</translation>
        </message>
        <message>
            <source>Verschieben &amp;bestätigen</source>
            <translation>Verschieben &amp;bestätigen</translation>
        </message>
        <message>
            <source>Gespeichert.</source>
            <translation>Gespeichert.</translation>
        </message>
        <message>
            <source>Fehler: {0}</source>
            <translation>Fehler: {0}</translation>
        </message>
    </context>
    <context>
        <name>PatientFlow</name>
        <message>
            <source>Angemeldet</source>
            <translation>Angemeldet</translation>
        </message>
        <message>
            <source>Im Wartezimmer</source>
            <translation>Im Wartezimmer</translation>
        </message>
        <message>
            <source>In Vorbereitung</source>
            <translation>In Vorbereitung</translation>
        </message>
        <message>
            <source>In Behandlung</source>
            <translation>In Behandlung</translation>
        </message>
        <message>
            <source>Nachbereitung</source>
            <translation>Nachbereitung</translation>
        </message>
        <message>
            <source>Abgeschlossen</source>
            <translation>Abgeschlossen</translation>
        </message>
        <message>
            <source>Der Patient ist für diesen Termin bereits angemeldet.</source>
            <extracomment>The number the patient is called by (issue 20), e.g. "A-017"; "" before numbers existed. The room of the last "Aufrufen", "" if not called yet. Minutes since arrival until treatment began (or until the server's now), 05 §4.</extracomment>
            <translation>Der Patient ist für diesen Termin bereits angemeldet.</translation>
        </message>
        <message>
            <source>Für einen abgesagten Termin kann niemand angemeldet werden.</source>
            <translation>Für einen abgesagten Termin kann niemand angemeldet werden.</translation>
        </message>
        <message>
            <source>Der Besuch ist abgeschlossen.</source>
            <translation>Der Besuch ist abgeschlossen.</translation>
        </message>
        <message>
            <source>„{0}“ → „{1}“ geht nicht: nur der nächste Schritt „{2}“ ist möglich.</source>
            <translation>„{0}“ → „{1}“ geht nicht: nur der nächste Schritt „{2}“ ist möglich.</translation>
        </message>
    </context>
    <context>
        <name>PatientFlowPage</name>
        <message>
            <source>Aufrufen</source>
            <extracomment>Statuses in which a patient can still be called into a room ("Aufrufen", issue 20). The live timer line, e.g. "20 min im Status". "→": on to the next status (the keyboard way, and the mouse way without dragging). "Aufrufen": call the patient into a room by number (the call-up display shows it).</extracomment>
            <translation>Aufrufen</translation>
        </message>
        <message>
            <source>Aufgerufen in {0}</source>
            <translation>Aufgerufen in {0}</translation>
        </message>
        <message>
            <source>Nummer {0} aufrufen</source>
            <translation>Nummer {0} aufrufen</translation>
        </message>
        <message>
            <source>{0} aufrufen</source>
            <translation>{0} aufrufen</translation>
        </message>
        <message>
            <source>Weiter: {0}</source>
            <translation>Weiter: {0}</translation>
        </message>
        <message>
            <source>{0} im Status</source>
            <translation>{0} im Status</translation>
        </message>
        <message>
            <source>{0}, {1} Patienten</source>
            <translation>{0}, {1} Patienten</translation>
        </message>
        <message>
            <source>Patient ist da</source>
            <translation>Patient ist da</translation>
        </message>
        <message>
            <source>{0} ist da</source>
            <translation>{0} ist da</translation>
        </message>
        <message>
            <source>Ziehen auf „Angemeldet“ meldet den Patienten an</source>
            <translation>Ziehen auf „Angemeldet“ meldet den Patienten an</translation>
        </message>
        <message>
            <source>Erwartet</source>
            <translation>Erwartet</translation>
        </message>
        <message>
            <source>Patientenfluss</source>
            <extracomment>A patient was called ("Aufrufen"): the updated visit. today's appointments (the "Erwartet" column shows those without a visit) minutes until amber/red per status: the practice settings on the server the practice's rooms, offered by "Aufrufen" the doctor filter to choose once the board is filled (the start page's tiles) moves and check-ins this board has written (a load read before the last is stale)</extracomment>
            <translation>Patientenfluss</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Nach Arzt filtern</source>
            <translation>Nach Arzt filtern</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Nach Raum filtern</source>
            <translation>Nach Raum filtern</translation>
        </message>
        <message>
            <source>Alle</source>
            <translation>Alle</translation>
        </message>
        <message>
            <source>Raum wählen</source>
            <translation>Raum wählen</translation>
        </message>
        <message>
            <source>Es sind keine Räume angelegt (Stammdaten).</source>
            <translation>Es sind keine Räume angelegt (Stammdaten).</translation>
        </message>
        <message>
            <source>Nicht aufgerufen: {0}</source>
            <translation>Nicht aufgerufen: {0}</translation>
        </message>
        <message>
            <source>Nicht angemeldet: {0}</source>
            <translation>Nicht angemeldet: {0}</translation>
        </message>
        <message>
            <source>Statuswechsel abgelehnt: {0}</source>
            <translation>Statuswechsel abgelehnt: {0}</translation>
        </message>
    </context>
    <context>
        <name>PatientPicker</name>
        <message>
            <source>Name, Geburtsdatum oder Versichertennr.</source>
            <extracomment>About four hits: enough to choose from, small enough for a dialog at 1280×720.</extracomment>
            <translation>Name, Geburtsdatum oder Versichertennr.</translation>
        </message>
        <message>
            <source>Patientensuche</source>
            <translation>Patientensuche</translation>
        </message>
        <message>
            <source>„Nachname, Vorname“, „Vorname Nachname“, Geburtsdatum (TT.MM.JJJJ), Versicherten- oder Patientennummer; Eingabetaste übernimmt den ersten Treffer</source>
            <translation>„Nachname, Vorname“, „Vorname Nachname“, Geburtsdatum (TT.MM.JJJJ), Versicherten- oder Patientennummer; Eingabetaste übernimmt den ersten Treffer</translation>
        </message>
        <message>
            <source>Ne&amp;uer Patient …</source>
            <translation>Ne&amp;uer Patient …</translation>
        </message>
        <message>
            <source>Patienten hier anlegen und übernehmen</source>
            <translation>Patienten hier anlegen und übernehmen</translation>
        </message>
        <message>
            <source>Suchergebnisse</source>
            <translation>Suchergebnisse</translation>
        </message>
        <message>
            <source>– kein Patient gewählt –</source>
            <translation>– kein Patient gewählt –</translation>
        </message>
        <message>
            <source>Gewählter Patient</source>
            <translation>Gewählter Patient</translation>
        </message>
        <message>
            <source>{0}  · Nr. {1}</source>
            <translation>{0}  · Nr. {1}</translation>
        </message>
        <message>
            <source>Kein Patient gefunden – „Neuer Patient …“ legt ihn an</source>
            <translation>Kein Patient gefunden – „Neuer Patient …“ legt ihn an</translation>
        </message>
    </context>
    <context>
        <name>PatientsApi</name>
        <message>
            <source>Patient #{0}</source>
            <translation>Patient #{0}</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>Geburtsdatum</source>
            <translation>Geburtsdatum</translation>
        </message>
        <message>
            <source>Versichertennummer</source>
            <translation>Versichertennummer</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Geschlecht</source>
            <translation>Geschlecht</translation>
        </message>
        <message>
            <source>Patientennummer</source>
            <translation>Patientennummer</translation>
        </message>
        <message>
            <source>Das Geburtsdatum darf nicht in der Zukunft liegen.</source>
            <translation>Das Geburtsdatum darf nicht in der Zukunft liegen.</translation>
        </message>
        <message>
            <source>Bitte ein gültiges Datum eingeben (TT.MM.JJJJ).</source>
            <translation>Bitte ein gültiges Datum eingeben (TT.MM.JJJJ).</translation>
        </message>
        <message>
            <source>Die E-Mail-Adresse ist ungültig.</source>
            <translation>Die E-Mail-Adresse ist ungültig.</translation>
        </message>
        <message>
            <source>Bitte ausfüllen.</source>
            <translation>Bitte ausfüllen.</translation>
        </message>
        <message>
            <source>Der Text enthält ein unzulässiges Steuerzeichen.</source>
            <translation>Der Text enthält ein unzulässiges Steuerzeichen.</translation>
        </message>
        <message>
            <source>Diese Patientennummer ist bereits vergeben.</source>
            <translation>Diese Patientennummer ist bereits vergeben.</translation>
        </message>
        <message>
            <source>Höchstens {0} Zeichen.</source>
            <translation>Höchstens {0} Zeichen.</translation>
        </message>
    </context>
    <context>
        <name>PatientsPage</name>
        <message>
            <source>geplant</source>
            <extracomment>Who may book appointments for any doctor (rbac-appointments: create; a doctor books only for themself, which "Freie Termine" with "Beliebiger Arzt" would not respect). The history reaches this far back and ahead (the lists always carry a date range).</extracomment>
            <translation>geplant</translation>
        </message>
        <message>
            <source>bestätigt</source>
            <translation>bestätigt</translation>
        </message>
        <message>
            <source>abgeschlossen</source>
            <translation>abgeschlossen</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>nicht erschienen</source>
            <translation>nicht erschienen</translation>
        </message>
        <message>
            <source>läuft</source>
            <translation>läuft</translation>
        </message>
        <message>
            <source>weiblich</source>
            <translation>weiblich</translation>
        </message>
        <message>
            <source>männlich</source>
            <translation>männlich</translation>
        </message>
        <message>
            <source>divers</source>
            <translation>divers</translation>
        </message>
        <message>
            <source>Patientennr.</source>
            <translation>Patientennr.</translation>
        </message>
        <message>
            <source>leer lassen – wird vergeben</source>
            <translation>leer lassen – wird vergeben</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Geburtsdatum</source>
            <translation>Geburtsdatum</translation>
        </message>
        <message>
            <source>Geschlecht</source>
            <translation>Geschlecht</translation>
        </message>
        <message>
            <source>Versichertennr.</source>
            <translation>Versichertennr.</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Patient #{0}</source>
            <translation>Patient #{0}</translation>
        </message>
        <message>
            <source>Suchen: Name, Geburtsdatum (TT.MM.JJJJ), Versichertennr. oder Patientennr.</source>
            <extracomment>"Termin vereinbaren": the calendar books for this :class:`desktop.api.patients.Patient`</extracomment>
            <translation>Suchen: Name, Geburtsdatum (TT.MM.JJJJ), Versichertennr. oder Patientennr.</translation>
        </message>
        <message>
            <source>Patientensuche</source>
            <translation>Patientensuche</translation>
        </message>
        <message>
            <source>Vorherige Seite</source>
            <translation>Vorherige Seite</translation>
        </message>
        <message>
            <source>Nächste Seite</source>
            <translation>Nächste Seite</translation>
        </message>
        <message>
            <source>Neuer Patient</source>
            <translation>Neuer Patient</translation>
        </message>
        <message>
            <source>Neuen Patienten anlegen (Strg+N)</source>
            <translation>Neuen Patienten anlegen (Strg+N)</translation>
        </message>
        <message>
            <source>Nr.</source>
            <translation>Nr.</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Patientenliste</source>
            <translation>Patientenliste</translation>
        </message>
        <message>
            <source>Kein Patient gewählt</source>
            <translation>Kein Patient gewählt</translation>
        </message>
        <message>
            <source>Termin vereinbaren</source>
            <translation>Termin vereinbaren</translation>
        </message>
        <message>
            <source>Freie Termine im Kalender für diesen Patienten suchen und buchen</source>
            <translation>Freie Termine im Kalender für diesen Patienten suchen und buchen</translation>
        </message>
        <message>
            <source>Terminkette buchen …</source>
            <translation>Terminkette buchen …</translation>
        </message>
        <message>
            <source>Eine Terminkette für diesen Patienten buchen</source>
            <translation>Eine Terminkette für diesen Patienten buchen</translation>
        </message>
        <message>
            <source>Terminketten …</source>
            <translation>Terminketten …</translation>
        </message>
        <message>
            <source>Gebuchte Terminketten ansehen und Schritte absagen</source>
            <translation>Gebuchte Terminketten ansehen und Schritte absagen</translation>
        </message>
        <message>
            <source>Nur Lesezugriff: Patientendaten ändern Ärzte, MFA und Admins.</source>
            <translation>Nur Lesezugriff: Patientendaten ändern Ärzte, MFA und Admins.</translation>
        </message>
        <message>
            <source>Verwerfen</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <source>Speichern</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Speichern (Strg+S)</source>
            <translation>Speichern (Strg+S)</translation>
        </message>
        <message>
            <source>Stammdaten</source>
            <translation>Stammdaten</translation>
        </message>
        <message>
            <source>Datum</source>
            <translation>Datum</translation>
        </message>
        <message>
            <source>Zeit</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Termine des Patienten</source>
            <translation>Termine des Patienten</translation>
        </message>
        <message>
            <source>Termine</source>
            <translation>Termine</translation>
        </message>
        <message>
            <source>OP-Art</source>
            <translation>OP-Art</translation>
        </message>
        <message>
            <source>Saal</source>
            <translation>Saal</translation>
        </message>
        <message>
            <source>Operateur</source>
            <translation>Operateur</translation>
        </message>
        <message>
            <source>Operationen des Patienten</source>
            <translation>Operationen des Patienten</translation>
        </message>
        <message>
            <source>Operationen</source>
            <translation>Operationen</translation>
        </message>
        <message>
            <source>Einwilligungen</source>
            <translation>Einwilligungen</translation>
        </message>
        <message>
            <source>{0} Treffer</source>
            <translation>{0} Treffer</translation>
        </message>
        <message>
            <source>Seite {0} von {1} · {2} Patienten</source>
            <translation>Seite {0} von {1} · {2} Patienten</translation>
        </message>
        <message>
            <source>Termine ({0})</source>
            <translation>Termine ({0})</translation>
        </message>
        <message>
            <source>Operationen ({0})</source>
            <translation>Operationen ({0})</translation>
        </message>
        <message>
            <source>Keine Änderungen.</source>
            <translation>Keine Änderungen.</translation>
        </message>
        <message>
            <source>Gespeichert (Patientennr. {0}).</source>
            <translation>Gespeichert (Patientennr. {0}).</translation>
        </message>
    </context>
    <context>
        <name>Practice</name>
        <message>
            <source>Praxisname</source>
            <extracomment>The length of a free slot the overview counts ("wie viele halbe Stunden sind noch frei"). The flow statuses of someone who has arrived and is still waiting to be treated.</extracomment>
            <translation>Praxisname</translation>
        </message>
        <message>
            <source>Anschrift</source>
            <translation>Anschrift</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>Schwellen im Patientenfluss</source>
            <translation>Schwellen im Patientenfluss</translation>
        </message>
        <message>
            <source>Angezeigte Tage</source>
            <translation>Angezeigte Tage</translation>
        </message>
        <message>
            <source>Aufrufanzeige</source>
            <translation>Aufrufanzeige</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>Kalenderfarbe</source>
            <translation>Kalenderfarbe</translation>
        </message>
        <message>
            <source>Gelb muss früher kommen als Rot.</source>
            <translation>Gelb muss früher kommen als Rot.</translation>
        </message>
        <message>
            <source>Mindestens ein Wochentag muss angezeigt werden.</source>
            <translation>Mindestens ein Wochentag muss angezeigt werden.</translation>
        </message>
        <message>
            <source>Das aktuelle Passwort ist falsch.</source>
            <translation>Das aktuelle Passwort ist falsch.</translation>
        </message>
        <message>
            <source>Das neue Passwort muss mindestens 8 Zeichen lang sein.</source>
            <translation>Das neue Passwort muss mindestens 8 Zeichen lang sein.</translation>
        </message>
        <message>
            <source>Das neue Passwort darf höchstens 128 Zeichen lang sein.</source>
            <translation>Das neue Passwort darf höchstens 128 Zeichen lang sein.</translation>
        </message>
        <message>
            <source>Bitte eine Farbe im Format #RRGGBB angeben.</source>
            <translation>Bitte eine Farbe im Format #RRGGBB angeben.</translation>
        </message>
        <message>
            <source>Das neue Passwort muss sich vom aktuellen unterscheiden.</source>
            <translation>Das neue Passwort muss sich vom aktuellen unterscheiden.</translation>
        </message>
    </context>
    <context>
        <name>RecordForm</name>
        <message>
            <source>Meldung</source>
            <extracomment>(key, value): the field is shown, and sent, only while field ``key`` has ``value`` (a room's "OP-Saal" box means nothing for a device). The values as loaded: the form is modified when what it shows differs from them.</extracomment>
            <translation>Meldung</translation>
        </message>
        <message>
            <source>Fehler bei {0}</source>
            <translation>Fehler bei {0}</translation>
        </message>
        <message>
            <source>TT.MM.JJJJ</source>
            <translation>TT.MM.JJJJ</translation>
        </message>
        <message>
            <source>–</source>
            <translation>–</translation>
        </message>
        <message>
            <source>Farbe wählen …</source>
            <translation>Farbe wählen …</translation>
        </message>
        <message>
            <source>Farbe wählen</source>
            <translation>Farbe wählen</translation>
        </message>
    </context>
    <context>
        <name>ReminderStatusLabel</name>
        <message>
            <source>Erinnerungen des Termins</source>
            <translation>Erinnerungen des Termins</translation>
        </message>
        <message>
            <source>wird geladen …</source>
            <translation>wird geladen …</translation>
        </message>
        <message>
            <source>Keine Erinnerung geplant.</source>
            <translation>Keine Erinnerung geplant.</translation>
        </message>
        <message>
            <source>Keine Regel für diese Terminart oder keine Einwilligung des Patienten.</source>
            <translation>Keine Regel für diese Terminart oder keine Einwilligung des Patienten.</translation>
        </message>
        <message>
            <source>Erinnerungen nicht abrufbar: {0}</source>
            <translation>Erinnerungen nicht abrufbar: {0}</translation>
        </message>
    </context>
    <context>
        <name>RemindersPage</name>
        <message>
            <source>Regeln</source>
            <translation>Regeln</translation>
        </message>
        <message>
            <source>Wann und auf welchem Weg Patienten an Termine erinnert werden. Die Regel ohne Terminart gilt für alle Terminarten ohne eigene Regel. Verschickt wird nur mit Einwilligung des Patienten (Patienten → Einwilligungen).</source>
            <translation>Wann und auf welchem Weg Patienten an Termine erinnert werden. Die Regel ohne Terminart gilt für alle Terminarten ohne eigene Regel. Verschickt wird nur mit Einwilligung des Patienten (Patienten → Einwilligungen).</translation>
        </message>
        <message>
            <source>Erinnerungsregeln</source>
            <translation>Erinnerungsregeln</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>Zeitpunkte</source>
            <translation>Zeitpunkte</translation>
        </message>
        <message>
            <source>Wege</source>
            <translation>Wege</translation>
        </message>
        <message>
            <source>Aktiv</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Neue Regel</source>
            <translation>Neue Regel</translation>
        </message>
        <message>
            <source>Regel löschen …</source>
            <translation>Regel löschen …</translation>
        </message>
        <message>
            <source>Terminart der Regel</source>
            <translation>Terminart der Regel</translation>
        </message>
        <message>
            <source>z. B. 48 h, 2 h</source>
            <translation>z. B. 48 h, 2 h</translation>
        </message>
        <message>
            <source>Zeitpunkte vor dem Termin</source>
            <translation>Zeitpunkte vor dem Termin</translation>
        </message>
        <message>
            <source>Bis zu fünf Zeitpunkte vor dem Termin, durch Kommas getrennt: „48 h“, „2 h“, „30 min“. Leer: für diese Terminart keine Erinnerung.</source>
            <translation>Bis zu fünf Zeitpunkte vor dem Termin, durch Kommas getrennt: „48 h“, „2 h“, „30 min“. Leer: für diese Terminart keine Erinnerung.</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Terminart in der Nachricht nennen ({terminart})</source>
            <translation>Terminart in der Nachricht nennen ({terminart})</translation>
        </message>
        <message>
            <source>Regel speichern</source>
            <translation>Regel speichern</translation>
        </message>
        <message>
            <source>Vorlagen und Sendezeiten</source>
            <translation>Vorlagen und Sendezeiten</translation>
        </message>
        <message>
            <source>Senden ab</source>
            <translation>Senden ab</translation>
        </message>
        <message>
            <source>Senden bis</source>
            <translation>Senden bis</translation>
        </message>
        <message>
            <source>bis</source>
            <translation>bis</translation>
        </message>
        <message>
            <source>Uhr</source>
            <translation>Uhr</translation>
        </message>
        <message>
            <source>Senden von</source>
            <translation>Senden von</translation>
        </message>
        <message>
            <source>Name der Praxis</source>
            <translation>Name der Praxis</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>Anschrift</source>
            <translation>Anschrift</translation>
        </message>
        <message>
            <source>Hinweis zum Absagen</source>
            <translation>Hinweis zum Absagen</translation>
        </message>
        <message>
            <source>Namen der Ärztin / des Arztes nennen ({arzt})</source>
            <translation>Namen der Ärztin / des Arztes nennen ({arzt})</translation>
        </message>
        <message>
            <source>E-Mail-Betreff</source>
            <translation>E-Mail-Betreff</translation>
        </message>
        <message>
            <source>E-Mail-Text</source>
            <translation>E-Mail-Text</translation>
        </message>
        <message>
            <source>SMS-Text</source>
            <translation>SMS-Text</translation>
        </message>
        <message>
            <source>Platzhalter einfügen</source>
            <translation>Platzhalter einfügen</translation>
        </message>
        <message>
            <source>Fügt den Platzhalter an der Schreibmarke des zuletzt gewählten Vorlagenfelds ein.</source>
            <translation>Fügt den Platzhalter an der Schreibmarke des zuletzt gewählten Vorlagenfelds ein.</translation>
        </message>
        <message>
            <source>Platzhalter einfügen …</source>
            <translation>Platzhalter einfügen …</translation>
        </message>
        <message>
            <source>Vorlagen speichern</source>
            <translation>Vorlagen speichern</translation>
        </message>
        <message>
            <source>Praxisstandard</source>
            <translation>Praxisstandard</translation>
        </message>
        <message>
            <source>keine</source>
            <translation>keine</translation>
        </message>
        <message>
            <source>ja</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>nein</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>Praxisstandard (alle Terminarten ohne eigene Regel)</source>
            <translation>Praxisstandard (alle Terminarten ohne eigene Regel)</translation>
        </message>
        <message>
            <source>Regel anlegen</source>
            <translation>Regel anlegen</translation>
        </message>
        <message>
            <source>Regel gespeichert.</source>
            <translation>Regel gespeichert.</translation>
        </message>
        <message>
            <source>Regel löschen</source>
            <translation>Regel löschen</translation>
        </message>
        <message>
            <source>Regel „{0}“ löschen? Geplante Erinnerungen werden neu berechnet.</source>
            <translation>Regel „{0}“ löschen? Geplante Erinnerungen werden neu berechnet.</translation>
        </message>
        <message>
            <source>Löschen</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Regel gelöscht.</source>
            <translation>Regel gelöscht.</translation>
        </message>
        <message>
            <source>Am Server nicht eingerichtet: {0}. Erinnerungen auf diesem Weg schlagen fehl, bis die Verbindung in den Servereinstellungen eingetragen ist.</source>
            <translation>Am Server nicht eingerichtet: {0}. Erinnerungen auf diesem Weg schlagen fehl, bis die Verbindung in den Servereinstellungen eingetragen ist.</translation>
        </message>
        <message>
            <source>E-Mail und SMS sind am Server eingerichtet.</source>
            <translation>E-Mail und SMS sind am Server eingerichtet.</translation>
        </message>
        <message>
            <source>Vorlage: {0} von höchstens 640 Zeichen</source>
            <translation>Vorlage: {0} von höchstens 640 Zeichen</translation>
        </message>
        <message>
            <source>Das Ende des Sendefensters muss nach dem Beginn liegen.</source>
            <translation>Das Ende des Sendefensters muss nach dem Beginn liegen.</translation>
        </message>
        <message>
            <source>Vorlagen gespeichert.</source>
            <translation>Vorlagen gespeichert.</translation>
        </message>
    </context>
    <context>
        <name>RemoveDialog</name>
        <message>
            <source>Von der Warteliste nehmen</source>
            <extracomment>The reasons a person gives, in the order the front desk meets them ("expired" is the server's own).</extracomment>
            <translation>Von der Warteliste nehmen</translation>
        </message>
        <message>
            <source>{0} ({1}) von der Warteliste nehmen?</source>
            <translation>{0} ({1}) von der Warteliste nehmen?</translation>
        </message>
        <message>
            <source>Grund</source>
            <translation>Grund</translation>
        </message>
        <message>
            <source>&amp;Grund:</source>
            <translation>&amp;Grund:</translation>
        </message>
        <message>
            <source>Bemerkung</source>
            <translation>Bemerkung</translation>
        </message>
        <message>
            <source>&amp;Bemerkung:</source>
            <translation>&amp;Bemerkung:</translation>
        </message>
        <message>
            <source>Entfernen</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
    </context>
    <context>
        <name>RepeatDialog</name>
        <message>
            <source>Termin wiederholen</source>
            <translation>Termin wiederholen</translation>
        </message>
        <message>
            <source>täglich</source>
            <translation>täglich</translation>
        </message>
        <message>
            <source>wöchentlich</source>
            <translation>wöchentlich</translation>
        </message>
        <message>
            <source>monatlich</source>
            <translation>monatlich</translation>
        </message>
        <message>
            <source>&amp;Wiederholen:</source>
            <translation>&amp;Wiederholen:</translation>
        </message>
        <message>
            <source>alle </source>
            <translation>alle </translation>
        </message>
        <message>
            <source>&amp;Abstand:</source>
            <translation>&amp;Abstand:</translation>
        </message>
        <message>
            <source> Termine</source>
            <translation> Termine</translation>
        </message>
        <message>
            <source>A&amp;nzahl:</source>
            <translation>A&amp;nzahl:</translation>
        </message>
        <message>
            <source>Vorschau wird geladen …</source>
            <translation>Vorschau wird geladen …</translation>
        </message>
        <message>
            <source>Vorschau</source>
            <translation>Vorschau</translation>
        </message>
        <message>
            <source>Serie &amp;buchen</source>
            <translation>Serie &amp;buchen</translation>
        </message>
        <message>
            <source>Nur &amp;freie buchen</source>
            <translation>Nur &amp;freie buchen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Alle {0} Termine sind frei.</source>
            <translation>Alle {0} Termine sind frei.</translation>
        </message>
        <message>
            <source>{0} von {1} Terminen sind nicht frei — Alternative übernehmen oder nur die freien buchen.</source>
            <translation>{0} von {1} Terminen sind nicht frei — Alternative übernehmen oder nur die freien buchen.</translation>
        </message>
        <message>
            <source>Inzwischen belegt — die Vorschau wurde neu geladen.</source>
            <translation>Inzwischen belegt — die Vorschau wurde neu geladen.</translation>
        </message>
    </context>
    <context>
        <name>Roles</name>
        <message>
            <source>Administrator</source>
            <extracomment>Role name → German label (untranslated source text; show it through :func:`role_label`).</extracomment>
            <translation>Administrator</translation>
        </message>
        <message>
            <source>MFA</source>
            <translation>MFA</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Abrechnung</source>
            <translation>Abrechnung</translation>
        </message>
        <message>
            <source>Pflege</source>
            <translation>Pflege</translation>
        </message>
        <message>
            <source>Empfang</source>
            <translation>Empfang</translation>
        </message>
        <message>
            <source>Labor</source>
            <translation>Labor</translation>
        </message>
        <message>
            <source>Verwaltung</source>
            <translation>Verwaltung</translation>
        </message>
        <message>
            <source>ohne Rolle</source>
            <translation>ohne Rolle</translation>
        </message>
    </context>
    <context>
        <name>RoomHeader</name>
        <message>
            <source>Räume</source>
            <translation>Räume</translation>
        </message>
        <message>
            <source>Auslastung Woche</source>
            <translation>Auslastung Woche</translation>
        </message>
        <message>
            <source>Auslastung</source>
            <translation>Auslastung</translation>
        </message>
    </context>
    <context>
        <name>SectionCard</name>
        <message>
            <source>wird geladen …</source>
            <extracomment>A refusal is expected for some roles: calm grey, not an alarming red.</extracomment>
            <translation>wird geladen …</translation>
        </message>
        <message>
            <source>wird aktualisiert …</source>
            <translation>wird aktualisiert …</translation>
        </message>
    </context>
    <context>
        <name>SeriesApi</name>
        <message>
            <source>Praxis geschlossen</source>
            <translation>Praxis geschlossen</translation>
        </message>
        <message>
            <source>außerhalb der Praxiszeiten</source>
            <translation>außerhalb der Praxiszeiten</translation>
        </message>
        <message>
            <source>Arzt arbeitet an diesem Tag nicht</source>
            <translation>Arzt arbeitet an diesem Tag nicht</translation>
        </message>
        <message>
            <source>außerhalb der Arbeitszeit</source>
            <translation>außerhalb der Arbeitszeit</translation>
        </message>
        <message>
            <source>Arzt abwesend</source>
            <translation>Arzt abwesend</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Arzt belegt</source>
            <translation>Arzt belegt</translation>
        </message>
        <message>
            <source>Raum/Gerät belegt</source>
            <translation>Raum/Gerät belegt</translation>
        </message>
        <message>
            <source>Patient hat schon einen Termin</source>
            <translation>Patient hat schon einen Termin</translation>
        </message>
        <message>
            <source>OP zur selben Zeit</source>
            <translation>OP zur selben Zeit</translation>
        </message>
        <message>
            <source>überschneidet sich mit der Serie</source>
            <translation>überschneidet sich mit der Serie</translation>
        </message>
    </context>
    <context>
        <name>SeriesView</name>
        <message>
            <source>Terminserie</source>
            <translation>Terminserie</translation>
        </message>
        <message>
            <source>Serie wird geladen …</source>
            <translation>Serie wird geladen …</translation>
        </message>
        <message>
            <source>Schließen</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <source>{0} von {1} Terminen gebucht</source>
            <translation>{0} von {1} Terminen gebucht</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
    </context>
    <context>
        <name>ServerMessages</name>
        <message>
            <source>Dieses Feld ist erforderlich.</source>
            <translation>Dieses Feld ist erforderlich.</translation>
        </message>
        <message>
            <source>Dieses Feld darf nicht leer sein.</source>
            <translation>Dieses Feld darf nicht leer sein.</translation>
        </message>
        <message>
            <source>Bitte eine ganze Zahl eingeben.</source>
            <translation>Bitte eine ganze Zahl eingeben.</translation>
        </message>
        <message>
            <source>Bitte eine gültige E-Mail-Adresse eingeben.</source>
            <translation>Bitte eine gültige E-Mail-Adresse eingeben.</translation>
        </message>
        <message>
            <source>Diese Patientennummer ist bereits vergeben.</source>
            <translation>Diese Patientennummer ist bereits vergeben.</translation>
        </message>
        <message>
            <source>Die Patientennummer muss eine positive Zahl sein.</source>
            <translation>Die Patientennummer muss eine positive Zahl sein.</translation>
        </message>
        <message>
            <source>Die Patientennummer kann nicht geändert werden.</source>
            <translation>Die Patientennummer kann nicht geändert werden.</translation>
        </message>
        <message>
            <source>Das Geburtsdatum darf nicht in der Zukunft liegen.</source>
            <translation>Das Geburtsdatum darf nicht in der Zukunft liegen.</translation>
        </message>
        <message>
            <source>Die Dauer muss größer als 0 sein.</source>
            <translation>Die Dauer muss größer als 0 sein.</translation>
        </message>
        <message>
            <source>Dieser Benutzername ist bereits vergeben.</source>
            <translation>Dieser Benutzername ist bereits vergeben.</translation>
        </message>
        <message>
            <source>Diese E-Mail-Adresse ist bereits vergeben.</source>
            <translation>Diese E-Mail-Adresse ist bereits vergeben.</translation>
        </message>
        <message>
            <source>Bitte eine Farbe im Format #RRGGBB eingeben.</source>
            <translation>Bitte eine Farbe im Format #RRGGBB eingeben.</translation>
        </message>
        <message>
            <source>Der gewählte Benutzer ist kein Arzt.</source>
            <translation>Der gewählte Benutzer ist kein Arzt.</translation>
        </message>
        <message>
            <source>Diese Sprechzeit ist für den Arzt bereits eingetragen.</source>
            <translation>Diese Sprechzeit ist für den Arzt bereits eingetragen.</translation>
        </message>
        <message>
            <source>Sie können Ihr eigenes Konto nicht deaktivieren.</source>
            <translation>Sie können Ihr eigenes Konto nicht deaktivieren.</translation>
        </message>
        <message>
            <source>Sie können Ihre eigene Rolle nicht ändern.</source>
            <translation>Sie können Ihre eigene Rolle nicht ändern.</translation>
        </message>
        <message>
            <source>Die Terminart wird von Terminen verwendet. Bitte stattdessen deaktivieren.</source>
            <translation>Die Terminart wird von Terminen verwendet. Bitte stattdessen deaktivieren.</translation>
        </message>
        <message>
            <source>Die OP-Art wird von Operationen verwendet. Bitte stattdessen deaktivieren.</source>
            <translation>Die OP-Art wird von Operationen verwendet. Bitte stattdessen deaktivieren.</translation>
        </message>
        <message>
            <source>Die Ressource ist verplant. Bitte stattdessen deaktivieren.</source>
            <translation>Die Ressource ist verplant. Bitte stattdessen deaktivieren.</translation>
        </message>
        <message>
            <source>Nur ein Raum kann ein OP-Saal sein.</source>
            <translation>Nur ein Raum kann ein OP-Saal sein.</translation>
        </message>
        <message>
            <source>Bitte ja oder nein wählen.</source>
            <translation>Bitte ja oder nein wählen.</translation>
        </message>
        <message>
            <source>Der Text enthält unzulässige Zeichen.</source>
            <translation>Der Text enthält unzulässige Zeichen.</translation>
        </message>
        <message>
            <source>Bitte ein gültiges Datum eingeben.</source>
            <translation>Bitte ein gültiges Datum eingeben.</translation>
        </message>
        <message>
            <source>Diese Seite gibt es nicht (mehr).</source>
            <translation>Diese Seite gibt es nicht (mehr).</translation>
        </message>
        <message>
            <source>Höchstens {0} Zeichen.</source>
            <translation>Höchstens {0} Zeichen.</translation>
        </message>
        <message>
            <source>Mindestens {0} Zeichen.</source>
            <translation>Mindestens {0} Zeichen.</translation>
        </message>
        <message>
            <source>Der Wert darf höchstens {0} sein.</source>
            <translation>Der Wert darf höchstens {0} sein.</translation>
        </message>
        <message>
            <source>Der Wert muss mindestens {0} sein.</source>
            <translation>Der Wert muss mindestens {0} sein.</translation>
        </message>
        <message>
            <source>Nur Buchstaben, Ziffern und @ . + - _ erlaubt.</source>
            <translation>Nur Buchstaben, Ziffern und @ . + - _ erlaubt.</translation>
        </message>
        <message>
            <source>Unbekannte Rolle.</source>
            <translation>Unbekannte Rolle.</translation>
        </message>
        <message>
            <source>Ungültige Auswahl.</source>
            <translation>Ungültige Auswahl.</translation>
        </message>
        <message>
            <source>Der Eintrag existiert nicht.</source>
            <translation>Der Eintrag existiert nicht.</translation>
        </message>
    </context>
    <context>
        <name>ServerSettingsDialog</name>
        <message>
            <source>Verbindungseinstellungen</source>
            <translation>Verbindungseinstellungen</translation>
        </message>
        <message>
            <source>Server-&amp;Adresse:</source>
            <translation>Server-&amp;Adresse:</translation>
        </message>
        <message>
            <source>Zertifikate des Betriebssystems</source>
            <translation>Zertifikate des Betriebssystems</translation>
        </message>
        <message>
            <source>CA-Zertifikat</source>
            <translation>CA-Zertifikat</translation>
        </message>
        <message>
            <source>&amp;Durchsuchen …</source>
            <translation>&amp;Durchsuchen …</translation>
        </message>
        <message>
            <source>CA-&amp;Zertifikat (optional):</source>
            <translation>CA-&amp;Zertifikat (optional):</translation>
        </message>
        <message>
            <source>Leer lassen, um die Datenbank auf diesem PC zu verwenden (Einzelplatzbetrieb).
CA-Zertifikat: nur nötig, wenn das Zertifikat des Servers von der Praxis selbst ausgestellt wurde (PEM-Datei, z. B. praxis-ca.pem).</source>
            <translation>Leer lassen, um die Datenbank auf diesem PC zu verwenden (Einzelplatzbetrieb).
CA-Zertifikat: nur nötig, wenn das Zertifikat des Servers von der Praxis selbst ausgestellt wurde (PEM-Datei, z. B. praxis-ca.pem).</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>CA-Zertifikat wählen</source>
            <translation>CA-Zertifikat wählen</translation>
        </message>
        <message>
            <source>Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</source>
            <translation>Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Die Server-Adresse muss mit https:// beginnen.</source>
            <translation>Die Server-Adresse muss mit https:// beginnen.</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Heute</source>
            <translation>Heute</translation>
        </message>
        <message>
            <source>Kalender</source>
            <translation>Kalender</translation>
        </message>
        <message>
            <source>OP-Plan</source>
            <translation>OP-Plan</translation>
        </message>
        <message>
            <source>Patientenfluss</source>
            <translation>Patientenfluss</translation>
        </message>
        <message>
            <source>Patienten</source>
            <translation>Patienten</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Tag</translation>
        </message>
        <message>
            <source>Woche</source>
            <translation>Woche</translation>
        </message>
        <message>
            <source>Monat</source>
            <translation>Monat</translation>
        </message>
        <message>
            <source>Räume &amp; Geräte</source>
            <translation>Räume &amp; Geräte</translation>
        </message>
        <message>
            <source>nach Arzt</source>
            <translation>nach Arzt</translation>
        </message>
        <message>
            <source>nach Terminart</source>
            <translation>nach Terminart</translation>
        </message>
        <message>
            <source>Einstellungen</source>
            <extracomment>The personal preferences were saved (the main window applies them at once). The practice settings were saved (the main window applies the shown weekdays).</extracomment>
            <translation>Einstellungen</translation>
        </message>
        <message>
            <source>Mein Konto</source>
            <translation>Mein Konto</translation>
        </message>
        <message>
            <source>Persönliche Einstellungen</source>
            <translation>Persönliche Einstellungen</translation>
        </message>
        <message>
            <source>Praxis</source>
            <translation>Praxis</translation>
        </message>
        <message>
            <source>Angemeldet als {0} ({1})</source>
            <translation>Angemeldet als {0} ({1})</translation>
        </message>
        <message>
            <source>Name und Kalenderfarbe</source>
            <translation>Name und Kalenderfarbe</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>Kalenderfarbe</source>
            <translation>Kalenderfarbe</translation>
        </message>
        <message>
            <source>Name speichern</source>
            <translation>Name speichern</translation>
        </message>
        <message>
            <source>Passwort ändern</source>
            <translation>Passwort ändern</translation>
        </message>
        <message>
            <source>Aktuelles Passwort</source>
            <translation>Aktuelles Passwort</translation>
        </message>
        <message>
            <source>Neues Passwort</source>
            <translation>Neues Passwort</translation>
        </message>
        <message>
            <source>Neues Passwort wiederholen</source>
            <translation>Neues Passwort wiederholen</translation>
        </message>
        <message>
            <source>Mindestens 8 Zeichen. Nach der Änderung werden Sie auf allen anderen Geräten abgemeldet.</source>
            <translation>Mindestens 8 Zeichen. Nach der Änderung werden Sie auf allen anderen Geräten abgemeldet.</translation>
        </message>
        <message>
            <source>Gespeichert. Die Kopfzeile zeigt den Namen nach der nächsten Anmeldung.</source>
            <translation>Gespeichert. Die Kopfzeile zeigt den Namen nach der nächsten Anmeldung.</translation>
        </message>
        <message>
            <source>Bitte das aktuelle Passwort eingeben.</source>
            <translation>Bitte das aktuelle Passwort eingeben.</translation>
        </message>
        <message>
            <source>Das neue Passwort muss mindestens 8 Zeichen lang sein.</source>
            <translation>Das neue Passwort muss mindestens 8 Zeichen lang sein.</translation>
        </message>
        <message>
            <source>Die beiden neuen Passwörter stimmen nicht überein.</source>
            <translation>Die beiden neuen Passwörter stimmen nicht überein.</translation>
        </message>
        <message>
            <source>Passwort geändert. Auf anderen Geräten ist eine neue Anmeldung nötig.</source>
            <translation>Passwort geändert. Auf anderen Geräten ist eine neue Anmeldung nötig.</translation>
        </message>
        <message>
            <source>Diese Einstellungen werden auf dem Server gespeichert und gelten an jedem PC.</source>
            <translation>Diese Einstellungen werden auf dem Server gespeichert und gelten an jedem PC.</translation>
        </message>
        <message>
            <source>Startbildschirm</source>
            <translation>Startbildschirm</translation>
        </message>
        <message>
            <source>Kalenderansicht</source>
            <translation>Kalenderansicht</translation>
        </message>
        <message>
            <source>Raster</source>
            <translation>Raster</translation>
        </message>
        <message>
            <source>Farben</source>
            <translation>Farben</translation>
        </message>
        <message>
            <source>Angezeigte Ärzte</source>
            <translation>Angezeigte Ärzte</translation>
        </message>
        <message>
            <source>Angezeigte Ärzte
(keiner gewählt: alle)</source>
            <translation>Angezeigte Ärzte
(keiner gewählt: alle)</translation>
        </message>
        <message>
            <source>Speichern</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Persönliche Einstellungen speichern</source>
            <translation>Persönliche Einstellungen speichern</translation>
        </message>
        <message>
            <source>Gespeichert.</source>
            <translation>Gespeichert.</translation>
        </message>
        <message>
            <source>Praxisname</source>
            <translation>Praxisname</translation>
        </message>
        <message>
            <source>Anschrift</source>
            <translation>Anschrift</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>Angezeigte Tage</source>
            <translation>Angezeigte Tage</translation>
        </message>
        <message>
            <source>Patientenfluss: Minuten bis Gelb / Rot</source>
            <translation>Patientenfluss: Minuten bis Gelb / Rot</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Gelb ab</source>
            <translation>Gelb ab</translation>
        </message>
        <message>
            <source>Rot ab</source>
            <translation>Rot ab</translation>
        </message>
        <message>
            <source>Gelb</source>
            <translation>Gelb</translation>
        </message>
        <message>
            <source>Rot</source>
            <translation>Rot</translation>
        </message>
        <message>
            <source>Aufrufanzeige</source>
            <translation>Aufrufanzeige</translation>
        </message>
        <message>
            <source>Überschrift der Anzeige</source>
            <translation>Überschrift der Anzeige</translation>
        </message>
        <message>
            <source>Gong bei jedem Aufruf</source>
            <translation>Gong bei jedem Aufruf</translation>
        </message>
        <message>
            <source>Angezeigte letzte Aufrufe</source>
            <translation>Angezeigte letzte Aufrufe</translation>
        </message>
        <message>
            <source>Überschrift</source>
            <translation>Überschrift</translation>
        </message>
        <message>
            <source>Letzte Aufrufe</source>
            <translation>Letzte Aufrufe</translation>
        </message>
        <message>
            <source>Zugänge der Aufrufanzeigen</source>
            <translation>Zugänge der Aufrufanzeigen</translation>
        </message>
        <message>
            <source>Zugänge für Anzeige-PCs</source>
            <translation>Zugänge für Anzeige-PCs</translation>
        </message>
        <message>
            <source>z. B. Wartezimmer</source>
            <translation>z. B. Wartezimmer</translation>
        </message>
        <message>
            <source>Name des neuen Zugangs</source>
            <translation>Name des neuen Zugangs</translation>
        </message>
        <message>
            <source>Zugang anlegen</source>
            <translation>Zugang anlegen</translation>
        </message>
        <message>
            <source>Widerrufen</source>
            <translation>Widerrufen</translation>
        </message>
        <message>
            <source>Neuer Zugang (nur jetzt sichtbar)</source>
            <translation>Neuer Zugang (nur jetzt sichtbar)</translation>
        </message>
        <message>
            <source>Praxiseinstellungen speichern</source>
            <translation>Praxiseinstellungen speichern</translation>
        </message>
        <message>
            <source>Praxiseinstellungen gespeichert.</source>
            <translation>Praxiseinstellungen gespeichert.</translation>
        </message>
        <message>
            <source> (widerrufen)</source>
            <translation> (widerrufen)</translation>
        </message>
        <message>
            <source>Bitte einen Namen für den Zugang eingeben.</source>
            <translation>Bitte einen Namen für den Zugang eingeben.</translation>
        </message>
        <message>
            <source>Zugang angelegt. Bitte jetzt am Anzeige-PC eingeben – er wird nicht noch einmal angezeigt.</source>
            <translation>Zugang angelegt. Bitte jetzt am Anzeige-PC eingeben – er wird nicht noch einmal angezeigt.</translation>
        </message>
    </context>
    <context>
        <name>SetupWizard</name>
        <message>
            <source>PraxiApp einrichten</source>
            <translation>PraxiApp einrichten</translation>
        </message>
        <message>
            <source>&amp;Weiter &gt;</source>
            <translation>&amp;Weiter &gt;</translation>
        </message>
        <message>
            <source>&lt; &amp;Zurück</source>
            <translation>&lt; &amp;Zurück</translation>
        </message>
        <message>
            <source>Konto &amp;anlegen</source>
            <translation>Konto &amp;anlegen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>{0} ({1} s)</source>
            <translation>{0} ({1} s)</translation>
        </message>
        <message>
            <source>Schritt 1 von 2: </source>
            <translation>Schritt 1 von 2: </translation>
        </message>
        <message>
            <source>Konto wird angelegt …</source>
            <translation>Konto wird angelegt …</translation>
        </message>
        <message>
            <source>&amp;Fertig</source>
            <translation>&amp;Fertig</translation>
        </message>
        <message>
            <source>Der Server ist nicht erreichbar. Bitte erneut versuchen.</source>
            <translation>Der Server ist nicht erreichbar. Bitte erneut versuchen.</translation>
        </message>
        <message>
            <source>Schritt 2 von 2: Demodaten werden geladen – das dauert einige Sekunden …</source>
            <translation>Schritt 2 von 2: Demodaten werden geladen – das dauert einige Sekunden …</translation>
        </message>
        <message>
            <source>Das Konto wurde angelegt, die Demodaten konnten aber nicht geladen werden. Erneut versuchen mit „Fertig“ oder ohne Demodaten fortfahren (Haken entfernen).
{0}</source>
            <translation>Das Konto wurde angelegt, die Demodaten konnten aber nicht geladen werden. Erneut versuchen mit „Fertig“ oder ohne Demodaten fortfahren (Haken entfernen).
{0}</translation>
        </message>
    </context>
    <context>
        <name>SlotCard</name>
        <message>
            <source>Frei: {0}</source>
            <translation>Frei: {0}</translation>
        </message>
        <message>
            <source>Diesen freien Termin ausblenden</source>
            <translation>Diesen freien Termin ausblenden</translation>
        </message>
        <message>
            <source>Ausblenden</source>
            <translation>Ausblenden</translation>
        </message>
        <message>
            <source>jeder Arzt</source>
            <translation>jeder Arzt</translation>
        </message>
        <message>
            <source>+ {0} weitere auf der Warteliste</source>
            <translation>+ {0} weitere auf der Warteliste</translation>
        </message>
    </context>
    <context>
        <name>StartupDialog</name>
        <message>
            <source>PraxiApp wird gestartet</source>
            <translation>PraxiApp wird gestartet</translation>
        </message>
        <message>
            <source>PraxiApp</source>
            <translation>PraxiApp</translation>
        </message>
        <message>
            <source>Server wird gestartet …</source>
            <translation>Server wird gestartet …</translation>
        </message>
        <message>
            <source>Erneut versuchen</source>
            <translation>Erneut versuchen</translation>
        </message>
        <message>
            <source>Server ändern …</source>
            <translation>Server ändern …</translation>
        </message>
        <message>
            <source>Beenden</source>
            <translation>Beenden</translation>
        </message>
    </context>
    <context>
        <name>StatisticsPage</name>
        <message>
            <source>Zeitraum-Schnellauswahl</source>
            <extracomment>Entities whose changes move the numbers on this screen (00 §11 change notices).</extracomment>
            <translation>Zeitraum-Schnellauswahl</translation>
        </message>
        <message>
            <source>Benutzerdefiniert</source>
            <translation>Benutzerdefiniert</translation>
        </message>
        <message>
            <source>Von</source>
            <translation>Von</translation>
        </message>
        <message>
            <source>Bis</source>
            <translation>Bis</translation>
        </message>
        <message>
            <source>Aktualisieren</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Zahlen neu vom Server laden (F5)</source>
            <translation>Zahlen neu vom Server laden (F5)</translation>
        </message>
        <message>
            <source>CSV exportieren</source>
            <translation>CSV exportieren</translation>
        </message>
        <message>
            <source>Alle Tabellen als eine CSV-Datei (für Excel)</source>
            <translation>Alle Tabellen als eine CSV-Datei (für Excel)</translation>
        </message>
        <message>
            <source>PNG exportieren</source>
            <translation>PNG exportieren</translation>
        </message>
        <message>
            <source>Die Auswertung als Bild speichern</source>
            <translation>Die Auswertung als Bild speichern</translation>
        </message>
        <message>
            <source>Zeitraum:</source>
            <translation>Zeitraum:</translation>
        </message>
        <message>
            <source>Statistik · {0}</source>
            <translation>Statistik · {0}</translation>
        </message>
        <message>
            <source>Die Antwort des Servers war unvollständig.</source>
            <translation>Die Antwort des Servers war unvollständig.</translation>
        </message>
        <message>
            <source>Stand: {0} Uhr</source>
            <translation>Stand: {0} Uhr</translation>
        </message>
        <message>
            <source>Statistik als CSV speichern</source>
            <translation>Statistik als CSV speichern</translation>
        </message>
        <message>
            <source>CSV-Datei (*.csv)</source>
            <translation>CSV-Datei (*.csv)</translation>
        </message>
        <message>
            <source>Statistik als Bild speichern</source>
            <translation>Statistik als Bild speichern</translation>
        </message>
        <message>
            <source>PNG-Bild (*.png)</source>
            <translation>PNG-Bild (*.png)</translation>
        </message>
        <message>
            <source>Die Datei wurde nicht gespeichert: {0}</source>
            <translation>Die Datei wurde nicht gespeichert: {0}</translation>
        </message>
        <message>
            <source>Gespeichert: {0}</source>
            <translation>Gespeichert: {0}</translation>
        </message>
    </context>
    <context>
        <name>Statistik</name>
        <message>
            <source>Minuten</source>
            <extracomment>lupdate lists ``translate("Statistik", "…")`` calls (context "Statistik" for this package). Units (source texts; shown through ``translate("Statistik", unit)``).</extracomment>
            <translation>Minuten</translation>
        </message>
        <message>
            <source>Anzahl</source>
            <translation>Anzahl</translation>
        </message>
        <message>
            <source>Tage</source>
            <translation>Tage</translation>
        </message>
        <message>
            <source>Punkte</source>
            <translation>Punkte</translation>
        </message>
        <message>
            <source>keine Daten</source>
            <extracomment>Label of the value axis of a bar chart ("Minuten", "%", "Anzahl"). Spans both columns of the screen (tile rows, long bar lists). One line under the title saying what the numbers are based on.</extracomment>
            <translation>keine Daten</translation>
        </message>
        <message>
            <source>Kennzahl</source>
            <translation>Kennzahl</translation>
        </message>
        <message>
            <source>Wert</source>
            <translation>Wert</translation>
        </message>
        <message>
            <source>Einheit</source>
            <translation>Einheit</translation>
        </message>
        <message>
            <source>Hinweis</source>
            <translation>Hinweis</translation>
        </message>
        <message>
            <source>{0} von {1}</source>
            <translation>{0} von {1}</translation>
        </message>
        <message>
            <source>PraxiApp – Statistik</source>
            <translation>PraxiApp – Statistik</translation>
        </message>
        <message>
            <source>Zeitraum</source>
            <translation>Zeitraum</translation>
        </message>
        <message>
            <source>Exportiert am</source>
            <translation>Exportiert am</translation>
        </message>
        <message>
            <source>Keine Daten im gewählten Zeitraum.</source>
            <translation>Keine Daten im gewählten Zeitraum.</translation>
        </message>
        <message>
            <source>Das Bild konnte nicht gespeichert werden: {0}</source>
            <translation>Das Bild konnte nicht gespeichert werden: {0}</translation>
        </message>
        <message>
            <source>Auslastung</source>
            <translation>Auslastung</translation>
        </message>
        <message>
            <source>{0} von {1} Std. belegt</source>
            <translation>{0} von {1} Std. belegt</translation>
        </message>
        <message>
            <source>No-Show-Rate</source>
            <translation>No-Show-Rate</translation>
        </message>
        <message>
            <source>Stornoquote</source>
            <translation>Stornoquote</translation>
        </message>
        <message>
            <source>Termine</source>
            <translation>Termine</translation>
        </message>
        <message>
            <source>gebucht, ohne Stornos</source>
            <translation>gebucht, ohne Stornos</translation>
        </message>
        <message>
            <source>Abgeschlossen</source>
            <translation>Abgeschlossen</translation>
        </message>
        <message>
            <source>⌀ {0} pro Tag</source>
            <translation>⌀ {0} pro Tag</translation>
        </message>
        <message>
            <source>⌀ Wartezeit</source>
            <translation>⌀ Wartezeit</translation>
        </message>
        <message>
            <source>{0} Patienten</source>
            <translation>{0} Patienten</translation>
        </message>
        <message>
            <source>⌀ Behandlungszeit</source>
            <translation>⌀ Behandlungszeit</translation>
        </message>
        <message>
            <source>Engpass-Index</source>
            <translation>Engpass-Index</translation>
        </message>
        <message>
            <source>Slot-Auslastung</source>
            <translation>Slot-Auslastung</translation>
        </message>
        <message>
            <source>Abschlussquote</source>
            <translation>Abschlussquote</translation>
        </message>
        <message>
            <source>⌀ Vorlaufzeit</source>
            <translation>⌀ Vorlaufzeit</translation>
        </message>
        <message>
            <source>Effizienz</source>
            <translation>Effizienz</translation>
        </message>
        <message>
            <source>Patienten gesamt</source>
            <translation>Patienten gesamt</translation>
        </message>
        <message>
            <source>Aktive Patienten</source>
            <translation>Aktive Patienten</translation>
        </message>
        <message>
            <source>mit Termin im Zeitraum</source>
            <translation>mit Termin im Zeitraum</translation>
        </message>
        <message>
            <source>Aktivquote</source>
            <translation>Aktivquote</translation>
        </message>
        <message>
            <source>Neue Patienten</source>
            <translation>Neue Patienten</translation>
        </message>
        <message>
            <source>erster Termin im Zeitraum</source>
            <translation>erster Termin im Zeitraum</translation>
        </message>
        <message>
            <source>{0} · {1} Termine</source>
            <translation>{0} · {1} Termine</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Auslastung (%)</source>
            <translation>Auslastung (%)</translation>
        </message>
        <message>
            <source>Termine (Anzahl)</source>
            <translation>Termine (Anzahl)</translation>
        </message>
        <message>
            <source>Abgeschlossen (Anzahl)</source>
            <translation>Abgeschlossen (Anzahl)</translation>
        </message>
        <message>
            <source>⌀ Termine pro Tag</source>
            <translation>⌀ Termine pro Tag</translation>
        </message>
        <message>
            <source>No-Show-Rate (%)</source>
            <translation>No-Show-Rate (%)</translation>
        </message>
        <message>
            <source>Stornoquote (%)</source>
            <translation>Stornoquote (%)</translation>
        </message>
        <message>
            <source>Neupatienten (%)</source>
            <translation>Neupatienten (%)</translation>
        </message>
        <message>
            <source>Auslastung in %</source>
            <translation>Auslastung in %</translation>
        </message>
        <message>
            <source>Neupatienten</source>
            <translation>Neupatienten</translation>
        </message>
        <message>
            <source>⌀ Termindauer</source>
            <translation>⌀ Termindauer</translation>
        </message>
        <message>
            <source>abgeschlossene Termine</source>
            <translation>abgeschlossene Termine</translation>
        </message>
        <message>
            <source>{0} Min.</source>
            <translation>{0} Min.</translation>
        </message>
        <message>
            <source>Operationen</source>
            <translation>Operationen</translation>
        </message>
        <message>
            <source>OP-Zeit gesamt</source>
            <translation>OP-Zeit gesamt</translation>
        </message>
        <message>
            <source>⌀ OP-Dauer</source>
            <translation>⌀ OP-Dauer</translation>
        </message>
        <message>
            <source>Raum</source>
            <translation>Raum</translation>
        </message>
        <message>
            <source>Belegt (Minuten)</source>
            <translation>Belegt (Minuten)</translation>
        </message>
        <message>
            <source>Verfügbar (Minuten)</source>
            <translation>Verfügbar (Minuten)</translation>
        </message>
        <message>
            <source>Gerät</source>
            <translation>Gerät</translation>
        </message>
        <message>
            <source>Nutzung (Minuten)</source>
            <translation>Nutzung (Minuten)</translation>
        </message>
        <message>
            <source>Nutzung in Minuten</source>
            <translation>Nutzung in Minuten</translation>
        </message>
        <message>
            <source>{0} OPs · {1}</source>
            <translation>{0} OPs · {1}</translation>
        </message>
        <message>
            <source>Operateur</source>
            <translation>Operateur</translation>
        </message>
        <message>
            <source>Operationen (Anzahl)</source>
            <translation>Operationen (Anzahl)</translation>
        </message>
        <message>
            <source>OP-Zeit (Minuten)</source>
            <translation>OP-Zeit (Minuten)</translation>
        </message>
        <message>
            <source>⌀ OP-Dauer (Minuten)</source>
            <translation>⌀ OP-Dauer (Minuten)</translation>
        </message>
        <message>
            <source>Anzahl Operationen</source>
            <translation>Anzahl Operationen</translation>
        </message>
        <message>
            <source>{0} · ⌀ {1}</source>
            <translation>{0} · ⌀ {1}</translation>
        </message>
        <message>
            <source>OP-Art</source>
            <translation>OP-Art</translation>
        </message>
        <message>
            <source>⌀ Dauer (Minuten)</source>
            <translation>⌀ Dauer (Minuten)</translation>
        </message>
        <message>
            <source>Kürzeste (Minuten)</source>
            <translation>Kürzeste (Minuten)</translation>
        </message>
        <message>
            <source>Längste (Minuten)</source>
            <translation>Längste (Minuten)</translation>
        </message>
        <message>
            <source>Dieser Monat</source>
            <extracomment>The shared date parser's range (server answers 400 outside it). (key, label, range for a given "today") in the order the chooser lists them; the label is a source text, shown with ``translate("Statistik", label)``.</extracomment>
            <translation>Dieser Monat</translation>
        </message>
        <message>
            <source>Letzter Monat</source>
            <translation>Letzter Monat</translation>
        </message>
        <message>
            <source>Letzte 30 Tage</source>
            <translation>Letzte 30 Tage</translation>
        </message>
        <message>
            <source>Dieses Quartal</source>
            <translation>Dieses Quartal</translation>
        </message>
        <message>
            <source>Letztes Quartal</source>
            <translation>Letztes Quartal</translation>
        </message>
        <message>
            <source>Dieses Jahr</source>
            <translation>Dieses Jahr</translation>
        </message>
        <message>
            <source>Meine Kennzahlen</source>
            <translation>Meine Kennzahlen</translation>
        </message>
        <message>
            <source>Ihre Termine im Zeitraum</source>
            <translation>Ihre Termine im Zeitraum</translation>
        </message>
        <message>
            <source>Auslastung je Arzt</source>
            <translation>Auslastung je Arzt</translation>
        </message>
        <message>
            <source>Gebuchte Terminzeit im Verhältnis zu den Sprechzeiten</source>
            <translation>Gebuchte Terminzeit im Verhältnis zu den Sprechzeiten</translation>
        </message>
        <message>
            <source>Operationen im Überblick</source>
            <translation>Operationen im Überblick</translation>
        </message>
        <message>
            <source>Operationen im Zeitraum, ohne stornierte; volle geplante Dauer</source>
            <translation>Operationen im Zeitraum, ohne stornierte; volle geplante Dauer</translation>
        </message>
        <message>
            <source>Raumauslastung</source>
            <translation>Raumauslastung</translation>
        </message>
        <message>
            <source>OP-Minuten je Raum, bezogen auf 8 Stunden (08–16 Uhr) je Kalendertag</source>
            <translation>OP-Minuten je Raum, bezogen auf 8 Stunden (08–16 Uhr) je Kalendertag</translation>
        </message>
        <message>
            <source>Gerätenutzung</source>
            <translation>Gerätenutzung</translation>
        </message>
        <message>
            <source>OP-Minuten je eingesetztem Gerät</source>
            <translation>OP-Minuten je eingesetztem Gerät</translation>
        </message>
        <message>
            <source>Operationen je Operateur</source>
            <translation>Operationen je Operateur</translation>
        </message>
        <message>
            <source>Nach Hauptoperateur</source>
            <translation>Nach Hauptoperateur</translation>
        </message>
        <message>
            <source>OP-Arten</source>
            <translation>OP-Arten</translation>
        </message>
        <message>
            <source>Anzahl und durchschnittliche Dauer je OP-Art</source>
            <translation>Anzahl und durchschnittliche Dauer je OP-Art</translation>
        </message>
        <message>
            <source>Praxis-Kennzahlen</source>
            <translation>Praxis-Kennzahlen</translation>
        </message>
        <message>
            <source>Termine und Operationen mit Beginn im Zeitraum</source>
            <translation>Termine und Operationen mit Beginn im Zeitraum</translation>
        </message>
        <message>
            <source>Terminplanung</source>
            <translation>Terminplanung</translation>
        </message>
        <message>
            <source>Termine mit Beginn im Zeitraum; Slots à 30 Minuten</source>
            <translation>Termine mit Beginn im Zeitraum; Slots à 30 Minuten</translation>
        </message>
        <message>
            <source>Patienten</source>
            <translation>Patienten</translation>
        </message>
        <message>
            <source>Patientenstamm und Termine im Zeitraum</source>
            <translation>Patientenstamm und Termine im Zeitraum</translation>
        </message>
        <message>
            <source>Warteliste</source>
            <translation>Warteliste</translation>
        </message>
        <message>
            <source>Frei gewordene Terminzeit und was nachbesetzt wurde</source>
            <translation>Frei gewordene Terminzeit und was nachbesetzt wurde</translation>
        </message>
        <message>
            <source>Nachbesetzung je Woche</source>
            <translation>Nachbesetzung je Woche</translation>
        </message>
        <message>
            <source>Anteil der frei gewordenen Minuten, nach Kalenderwoche</source>
            <translation>Anteil der frei gewordenen Minuten, nach Kalenderwoche</translation>
        </message>
        <message>
            <source>Das Von-Datum liegt nach dem Bis-Datum.</source>
            <translation>Das Von-Datum liegt nach dem Bis-Datum.</translation>
        </message>
        <message>
            <source>Der Zeitraum ist zu lang – höchstens 366 Tage sind möglich.</source>
            <translation>Der Zeitraum ist zu lang – höchstens 366 Tage sind möglich.</translation>
        </message>
        <message>
            <source>Das Datum ist ungültig.</source>
            <translation>Das Datum ist ungültig.</translation>
        </message>
        <message>
            <source>Bitte Von- und Bis-Datum angeben.</source>
            <translation>Bitte Von- und Bis-Datum angeben.</translation>
        </message>
        <message>
            <source>Keine Berechtigung: Diese Auswertung ist für die Rolle „{0}“ nicht freigegeben.</source>
            <translation>Keine Berechtigung: Diese Auswertung ist für die Rolle „{0}“ nicht freigegeben.</translation>
        </message>
        <message>
            <source>Frei gewordene Zeit</source>
            <translation>Frei gewordene Zeit</translation>
        </message>
        <message>
            <source>abgesagt, gelöscht, verschoben, nicht erschienen</source>
            <translation>abgesagt, gelöscht, verschoben, nicht erschienen</translation>
        </message>
        <message>
            <source>Aus der Warteliste nachbesetzt</source>
            <translation>Aus der Warteliste nachbesetzt</translation>
        </message>
        <message>
            <source>Buchungen über „Nachrücker“</source>
            <translation>Buchungen über „Nachrücker“</translation>
        </message>
        <message>
            <source>Nachbesetzungsquote</source>
            <translation>Nachbesetzungsquote</translation>
        </message>
        <message>
            <source>nachbesetzt / frei geworden</source>
            <translation>nachbesetzt / frei geworden</translation>
        </message>
        <message>
            <source>KW {0}</source>
            <translation>KW {0}</translation>
        </message>
        <message>
            <source>nichts frei geworden</source>
            <translation>nichts frei geworden</translation>
        </message>
        <message>
            <source>{0} · {1} von {2}</source>
            <translation>{0} · {1} von {2}</translation>
        </message>
        <message>
            <source>Woche</source>
            <translation>Woche</translation>
        </message>
        <message>
            <source>Wochenbeginn</source>
            <translation>Wochenbeginn</translation>
        </message>
        <message>
            <source>Frei geworden (Minuten)</source>
            <translation>Frei geworden (Minuten)</translation>
        </message>
        <message>
            <source>Nachbesetzt (Minuten)</source>
            <translation>Nachbesetzt (Minuten)</translation>
        </message>
        <message>
            <source>Nachbesetzungsquote (%)</source>
            <translation>Nachbesetzungsquote (%)</translation>
        </message>
        <message>
            <source>Nachbesetzt in %</source>
            <translation>Nachbesetzt in %</translation>
        </message>
    </context>
    <context>
        <name>Suggest</name>
        <message>
            <source>Mo</source>
            <extracomment>The server clamps ``limit`` to 50 and ``days`` to 31 (03 §9.2). Where the front desk's "vormittags" ends and "nachmittags" begins.</extracomment>
            <translation>Mo</translation>
        </message>
        <message>
            <source>Di</source>
            <translation>Di</translation>
        </message>
        <message>
            <source>Mi</source>
            <translation>Mi</translation>
        </message>
        <message>
            <source>Do</source>
            <translation>Do</translation>
        </message>
        <message>
            <source>Fr</source>
            <translation>Fr</translation>
        </message>
        <message>
            <source>Sa</source>
            <translation>Sa</translation>
        </message>
        <message>
            <source>So</source>
            <translation>So</translation>
        </message>
    </context>
    <context>
        <name>SuggestPanel</name>
        <message>
            <source>Freie Termine</source>
            <extracomment>doctor id, start datetime, type id or None, minutes (no patient bound: open the dialog) the new appointment's id and the booked :class:`Slot` a slot search finished (shown or failed)</extracomment>
            <translation>Freie Termine</translation>
        </message>
        <message>
            <source>Patient suchen …</source>
            <translation>Patient suchen …</translation>
        </message>
        <message>
            <source>Patient für die Buchung</source>
            <translation>Patient für die Buchung</translation>
        </message>
        <message>
            <source>„Nachname, Vorname“, Geburtsdatum oder Versichertennr.; Eingabetaste übernimmt</source>
            <translation>„Nachname, Vorname“, Geburtsdatum oder Versichertennr.; Eingabetaste übernimmt</translation>
        </message>
        <message>
            <source>Gefundene Patienten</source>
            <translation>Gefundene Patienten</translation>
        </message>
        <message>
            <source>Patient der Buchung</source>
            <translation>Patient der Buchung</translation>
        </message>
        <message>
            <source>Patient abwählen</source>
            <translation>Patient abwählen</translation>
        </message>
        <message>
            <source> Min.</source>
            <translation> Min.</translation>
        </message>
        <message>
            <source>Tageszeit</source>
            <translation>Tageszeit</translation>
        </message>
        <message>
            <source>ganztags</source>
            <translation>ganztags</translation>
        </message>
        <message>
            <source>vormittags</source>
            <translation>vormittags</translation>
        </message>
        <message>
            <source>nachmittags</source>
            <translation>nachmittags</translation>
        </message>
        <message>
            <source> Tage</source>
            <translation> Tage</translation>
        </message>
        <message>
            <source>Terminart:</source>
            <translation>Terminart:</translation>
        </message>
        <message>
            <source>Dauer:</source>
            <translation>Dauer:</translation>
        </message>
        <message>
            <source>Arzt:</source>
            <translation>Arzt:</translation>
        </message>
        <message>
            <source>Tageszeit:</source>
            <translation>Tageszeit:</translation>
        </message>
        <message>
            <source>Zeitraum:</source>
            <translation>Zeitraum:</translation>
        </message>
        <message>
            <source>Freie Termine suchen</source>
            <translation>Freie Termine suchen</translation>
        </message>
        <message>
            <source>Vorschläge</source>
            <translation>Vorschläge</translation>
        </message>
        <message>
            <source>Hinweis zur Terminsuche</source>
            <translation>Hinweis zur Terminsuche</translation>
        </message>
        <message>
            <source>Beliebiger Arzt</source>
            <translation>Beliebiger Arzt</translation>
        </message>
        <message>
            <source>– ohne Terminart –</source>
            <translation>– ohne Terminart –</translation>
        </message>
        <message>
            <source>Kein Patient gewählt: ein Klick öffnet den Dialog.</source>
            <translation>Kein Patient gewählt: ein Klick öffnet den Dialog.</translation>
        </message>
        <message>
            <source>Für: {0}</source>
            <translation>Für: {0}</translation>
        </message>
        <message>
            <source>Kein Patient gefunden.</source>
            <translation>Kein Patient gefunden.</translation>
        </message>
        <message>
            <source>Suche läuft …</source>
            <translation>Suche läuft …</translation>
        </message>
        <message>
            <source>Keine freien Termine im Zeitraum.</source>
            <translation>Keine freien Termine im Zeitraum.</translation>
        </message>
        <message>
            <source>Ein Klick bucht den Termin für {0}.</source>
            <translation>Ein Klick bucht den Termin für {0}.</translation>
        </message>
        <message>
            <source>Klicken Sie auf einen Vorschlag, um zu buchen.</source>
            <translation>Klicken Sie auf einen Vorschlag, um zu buchen.</translation>
        </message>
        <message>
            <source>Der Server bietet die Terminsuche noch nicht an.</source>
            <translation>Der Server bietet die Terminsuche noch nicht an.</translation>
        </message>
        <message>
            <source>Wird gebucht …</source>
            <translation>Wird gebucht …</translation>
        </message>
        <message>
            <source>Gebucht: {0} bei {1} für {2}.</source>
            <translation>Gebucht: {0} bei {1} für {2}.</translation>
        </message>
        <message>
            <source>Nicht gebucht: {0}</source>
            <translation>Nicht gebucht: {0}</translation>
        </message>
    </context>
    <context>
        <name>TablePage</name>
        <message>
            <source>Neu</source>
            <extracomment>Empty: the general wording ("Neu", "Löschen", …). Other entities whose change should reload this table (e.g. "user" for doctor names).</extracomment>
            <translation>Neu</translation>
        </message>
        <message>
            <source>Neuen Eintrag anlegen (Strg+N)</source>
            <translation>Neuen Eintrag anlegen (Strg+N)</translation>
        </message>
        <message>
            <source>Löschen</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Aktualisieren</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Neu laden (F5)</source>
            <translation>Neu laden (F5)</translation>
        </message>
        <message>
            <source>Verwerfen</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <source>Speichern</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Speichern (Strg+S)</source>
            <translation>Speichern (Strg+S)</translation>
        </message>
        <message>
            <source>Neuer Eintrag</source>
            <translation>Neuer Eintrag</translation>
        </message>
        <message>
            <source>Eintrag bearbeiten</source>
            <translation>Eintrag bearbeiten</translation>
        </message>
        <message>
            <source>Keine Änderungen.</source>
            <translation>Keine Änderungen.</translation>
        </message>
        <message>
            <source>Gespeichert.</source>
            <translation>Gespeichert.</translation>
        </message>
        <message>
            <source>Diesen Eintrag wirklich löschen?</source>
            <translation>Diesen Eintrag wirklich löschen?</translation>
        </message>
        <message>
            <source>Gelöscht.</source>
            <translation>Gelöscht.</translation>
        </message>
    </context>
    <context>
        <name>TimeAxis</name>
        <message>
            <source>Zeitachse</source>
            <translation>Zeitachse</translation>
        </message>
    </context>
    <context>
        <name>TimelineView</name>
        <message>
            <source>OP-Zeitplan</source>
            <extracomment>After ``build``: rows, days or scale may have changed (the pinned headers follow). A range dragged on an empty row: (row, start, end) proposed for a new operation. Right click on a block: (block, global position) for the page's status menu. Keys while the timeline has the focus; True = handled (the page's shortcuts).</extracomment>
            <translation>OP-Zeitplan</translation>
        </message>
    </context>
    <context>
        <name>Tls</name>
        <message>
            <source>noch nicht gültig</source>
            <translation>noch nicht gültig</translation>
        </message>
        <message>
            <source>abgelaufen</source>
            <translation>abgelaufen</translation>
        </message>
        <message>
            <source>selbst signiert</source>
            <translation>selbst signiert</translation>
        </message>
        <message>
            <source>von einer unbekannten Zertifizierungsstelle ausgestellt</source>
            <translation>von einer unbekannten Zertifizierungsstelle ausgestellt</translation>
        </message>
        <message>
            <source>für einen anderen Servernamen ausgestellt</source>
            <translation>für einen anderen Servernamen ausgestellt</translation>
        </message>
        <message>
            <source>für eine andere Server-Adresse ausgestellt</source>
            <translation>für eine andere Server-Adresse ausgestellt</translation>
        </message>
        <message>
            <source>Die Zertifikatsdatei „{0}“ wurde nicht gefunden.</source>
            <translation>Die Zertifikatsdatei „{0}“ wurde nicht gefunden.</translation>
        </message>
        <message>
            <source>Die Datei „{0}“ enthält kein gültiges CA-Zertifikat im PEM-Format (Textdatei mit „-----BEGIN CERTIFICATE-----“).</source>
            <translation>Die Datei „{0}“ enthält kein gültiges CA-Zertifikat im PEM-Format (Textdatei mit „-----BEGIN CERTIFICATE-----“).</translation>
        </message>
        <message>
            <source>Das Zertifikat des Servers ist nicht vertrauenswürdig ({0}). Hinterlegen Sie das CA-Zertifikat der Praxis in den Verbindungseinstellungen.</source>
            <translation>Das Zertifikat des Servers ist nicht vertrauenswürdig ({0}). Hinterlegen Sie das CA-Zertifikat der Praxis in den Verbindungseinstellungen.</translation>
        </message>
    </context>
    <context>
        <name>TodayPage</name>
        <message>
            <source>Montag</source>
            <extracomment>Waiting times and free slots age without any change: refresh now and then.</extracomment>
            <translation>Montag</translation>
        </message>
        <message>
            <source>Dienstag</source>
            <translation>Dienstag</translation>
        </message>
        <message>
            <source>Mittwoch</source>
            <translation>Mittwoch</translation>
        </message>
        <message>
            <source>Donnerstag</source>
            <translation>Donnerstag</translation>
        </message>
        <message>
            <source>Freitag</source>
            <translation>Freitag</translation>
        </message>
        <message>
            <source>Samstag</source>
            <translation>Samstag</translation>
        </message>
        <message>
            <source>Sonntag</source>
            <translation>Sonntag</translation>
        </message>
        <message>
            <source>geplant</source>
            <translation>geplant</translation>
        </message>
        <message>
            <source>bestätigt</source>
            <translation>bestätigt</translation>
        </message>
        <message>
            <source>abgeschlossen</source>
            <translation>abgeschlossen</translation>
        </message>
        <message>
            <source>abgesagt</source>
            <translation>abgesagt</translation>
        </message>
        <message>
            <source>läuft</source>
            <translation>läuft</translation>
        </message>
        <message>
            <source>fertig</source>
            <translation>fertig</translation>
        </message>
        <message>
            <source>Termine heute</source>
            <extracomment>screen key ("calendar", "patient_flow", "op_plan") and options ({"day": …, "doctor": …})</extracomment>
            <translation>Termine heute</translation>
        </message>
        <message>
            <source>Im Wartezimmer</source>
            <translation>Im Wartezimmer</translation>
        </message>
        <message>
            <source>OPs heute</source>
            <translation>OPs heute</translation>
        </message>
        <message>
            <source>Meine nächsten Patienten</source>
            <translation>Meine nächsten Patienten</translation>
        </message>
        <message>
            <source>Wartet auf mich</source>
            <translation>Wartet auf mich</translation>
        </message>
        <message>
            <source>Meine OPs heute</source>
            <translation>Meine OPs heute</translation>
        </message>
        <message>
            <source>Meine Termine heute</source>
            <translation>Meine Termine heute</translation>
        </message>
        <message>
            <source>Meine freien Termine</source>
            <translation>Meine freien Termine</translation>
        </message>
        <message>
            <source>Nächste Patienten</source>
            <translation>Nächste Patienten</translation>
        </message>
        <message>
            <source>Freie Termine heute</source>
            <translation>Freie Termine heute</translation>
        </message>
        <message>
            <source>Abwesend</source>
            <translation>Abwesend</translation>
        </message>
        <message>
            <source>Warteliste</source>
            <translation>Warteliste</translation>
        </message>
        <message>
            <source>Heute, {0}, {1}</source>
            <translation>Heute, {0}, {1}</translation>
        </message>
        <message>
            <source>Die Übersicht konnte nicht geladen werden: {0}</source>
            <translation>Die Übersicht konnte nicht geladen werden: {0}</translation>
        </message>
        <message>
            <source>Heute kommt niemand mehr.</source>
            <translation>Heute kommt niemand mehr.</translation>
        </message>
        <message>
            <source>Längste Wartezeit: {0} min</source>
            <translation>Längste Wartezeit: {0} min</translation>
        </message>
        <message>
            <source>Niemand wartet.</source>
            <translation>Niemand wartet.</translation>
        </message>
        <message>
            <source>{0}: {1} × 30 min</source>
            <translation>{0}: {1} × 30 min</translation>
        </message>
        <message>
            <source>Keine Sprechstunde mehr.</source>
            <translation>Keine Sprechstunde mehr.</translation>
        </message>
        <message>
            <source>Alle Ärzte sind da.</source>
            <translation>Alle Ärzte sind da.</translation>
        </message>
        <message>
            <source>Die Warteliste ist nicht erreichbar.</source>
            <translation>Die Warteliste ist nicht erreichbar.</translation>
        </message>
        <message>
            <source>{0} wartend · {1} angeboten · {2} dringend</source>
            <translation>{0} wartend · {1} angeboten · {2} dringend</translation>
        </message>
        <message>
            <source>{0} frei gewordene Termine mit Kandidaten</source>
            <translation>{0} frei gewordene Termine mit Kandidaten</translation>
        </message>
    </context>
    <context>
        <name>UnsavedChanges</name>
        <message>
            <source>Ungespeicherte Änderungen</source>
            <extracomment>Receives the user's answer. Puts the question to the user and hands the answer to ``Decide`` (tests answer directly).</extracomment>
            <translation>Ungespeicherte Änderungen</translation>
        </message>
        <message>
            <source>Die Änderungen wurden noch nicht gespeichert.</source>
            <translation>Die Änderungen wurden noch nicht gespeichert.</translation>
        </message>
        <message>
            <source>Möchten Sie sie speichern, bevor Sie fortfahren?</source>
            <translation>Möchten Sie sie speichern, bevor Sie fortfahren?</translation>
        </message>
        <message>
            <source>Speichern</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Verwerfen</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <source>Abbrechen</source>
            <translation>Abbrechen</translation>
        </message>
    </context>
    <context>
        <name>UsersPage</name>
        <message>
            <source>ja</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>deaktiviert</source>
            <translation>deaktiviert</translation>
        </message>
        <message>
            <source>Benutzer</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Benutzername</source>
            <translation>Benutzername</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Rolle</source>
            <translation>Rolle</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Aktiv</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Letzte Anmeldung</source>
            <translation>Letzte Anmeldung</translation>
        </message>
        <message>
            <source>Passwort</source>
            <translation>Passwort</translation>
        </message>
        <message>
            <source>mind. 8 Zeichen</source>
            <translation>mind. 8 Zeichen</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>Kalenderfarbe</source>
            <translation>Kalenderfarbe</translation>
        </message>
        <message>
            <source>Urlaubstage/Jahr</source>
            <translation>Urlaubstage/Jahr</translation>
        </message>
        <message>
            <source> Tage</source>
            <translation> Tage</translation>
        </message>
        <message>
            <source>Benutzer verwalten nur Administratoren.</source>
            <translation>Benutzer verwalten nur Administratoren.</translation>
        </message>
        <message>
            <source>Neuer Benutzer</source>
            <translation>Neuer Benutzer</translation>
        </message>
        <message>
            <source>Deaktivieren</source>
            <translation>Deaktivieren</translation>
        </message>
        <message>
            <source>Benutzer deaktivieren? Er kann sich danach nicht mehr anmelden.</source>
            <translation>Benutzer deaktivieren? Er kann sich danach nicht mehr anmelden.</translation>
        </message>
        <message>
            <source>Der Benutzer wurde deaktiviert.</source>
            <translation>Der Benutzer wurde deaktiviert.</translation>
        </message>
        <message>
            <source>Suchen: Name, Benutzername, E-Mail</source>
            <translation>Suchen: Name, Benutzername, E-Mail</translation>
        </message>
        <message>
            <source>Benutzersuche</source>
            <translation>Benutzersuche</translation>
        </message>
        <message>
            <source>Nach Rolle filtern</source>
            <translation>Nach Rolle filtern</translation>
        </message>
        <message>
            <source>Alle Rollen</source>
            <translation>Alle Rollen</translation>
        </message>
        <message>
            <source>Deaktivierte anzeigen</source>
            <translation>Deaktivierte anzeigen</translation>
        </message>
        <message>
            <source>Passwort zurücksetzen …</source>
            <translation>Passwort zurücksetzen …</translation>
        </message>
        <message>
            <source>Reaktivieren</source>
            <translation>Reaktivieren</translation>
        </message>
        <message>
            <source>Benutzer {0}</source>
            <translation>Benutzer {0}</translation>
        </message>
        <message>
            <source>Das Passwort wurde geändert.</source>
            <translation>Das Passwort wurde geändert.</translation>
        </message>
    </context>
    <context>
        <name>WaitingList</name>
        <message>
            <source>Wartend</source>
            <translation>Wartend</translation>
        </message>
        <message>
            <source>Angeboten</source>
            <translation>Angeboten</translation>
        </message>
        <message>
            <source>Gebucht</source>
            <translation>Gebucht</translation>
        </message>
        <message>
            <source>Entfernt</source>
            <translation>Entfernt</translation>
        </message>
        <message>
            <source>Normal</source>
            <translation>Normal</translation>
        </message>
        <message>
            <source>Dringend</source>
            <translation>Dringend</translation>
        </message>
        <message>
            <source>Abgelaufen</source>
            <translation>Abgelaufen</translation>
        </message>
        <message>
            <source>Patient verzichtet</source>
            <translation>Patient verzichtet</translation>
        </message>
        <message>
            <source>Anderweitig gebucht</source>
            <translation>Anderweitig gebucht</translation>
        </message>
        <message>
            <source>Sonstiges</source>
            <translation>Sonstiges</translation>
        </message>
        <message>
            <source>Termin abgesagt</source>
            <translation>Termin abgesagt</translation>
        </message>
        <message>
            <source>Termin gelöscht</source>
            <translation>Termin gelöscht</translation>
        </message>
        <message>
            <source>Termin verschoben</source>
            <translation>Termin verschoben</translation>
        </message>
        <message>
            <source>Nicht erschienen</source>
            <translation>Nicht erschienen</translation>
        </message>
        <message>
            <source>Abwesenheit verkürzt</source>
            <translation>Abwesenheit verkürzt</translation>
        </message>
        <message>
            <source>Abwesenheit entfernt</source>
            <translation>Abwesenheit entfernt</translation>
        </message>
        <message>
            <source>Arbeitszeit erweitert</source>
            <translation>Arbeitszeit erweitert</translation>
        </message>
        <message>
            <source>Pause entfernt</source>
            <translation>Pause entfernt</translation>
        </message>
        <message>
            <source>Mo</source>
            <translation>Mo</translation>
        </message>
        <message>
            <source>Di</source>
            <translation>Di</translation>
        </message>
        <message>
            <source>Mi</source>
            <translation>Mi</translation>
        </message>
        <message>
            <source>Do</source>
            <translation>Do</translation>
        </message>
        <message>
            <source>Fr</source>
            <translation>Fr</translation>
        </message>
        <message>
            <source>Sa</source>
            <translation>Sa</translation>
        </message>
        <message>
            <source>So</source>
            <translation>So</translation>
        </message>
        <message>
            <source>jederzeit</source>
            <translation>jederzeit</translation>
        </message>
        <message>
            <source>ab {0}</source>
            <translation>ab {0}</translation>
        </message>
        <message>
            <source>bis {0}</source>
            <translation>bis {0}</translation>
        </message>
        <message>
            <source>offen</source>
            <translation>offen</translation>
        </message>
    </context>
    <context>
        <name>WaitingListApi</name>
        <message>
            <source>Patient #{0}</source>
            <extracomment>The server's filter value for every status (default: the open ones).</extracomment>
            <translation>Patient #{0}</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>Ärzte</source>
            <translation>Ärzte</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Frühestens</source>
            <translation>Frühestens</translation>
        </message>
        <message>
            <source>Spätestens</source>
            <translation>Spätestens</translation>
        </message>
        <message>
            <source>Zeitfenster</source>
            <translation>Zeitfenster</translation>
        </message>
        <message>
            <source>Priorität</source>
            <translation>Priorität</translation>
        </message>
        <message>
            <source>Notiz</source>
            <translation>Notiz</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Grund</source>
            <translation>Grund</translation>
        </message>
        <message>
            <source>Bemerkung</source>
            <translation>Bemerkung</translation>
        </message>
        <message>
            <source>Beginn</source>
            <translation>Beginn</translation>
        </message>
        <message>
            <source>Freier Termin</source>
            <translation>Freier Termin</translation>
        </message>
        <message>
            <source>Bitte ausfüllen.</source>
            <extracomment>The server's generic field errors keep DRF's English texts (00 §7); its own are German.</extracomment>
            <translation>Bitte ausfüllen.</translation>
        </message>
        <message>
            <source>Bitte eine ganze Zahl angeben.</source>
            <translation>Bitte eine ganze Zahl angeben.</translation>
        </message>
        <message>
            <source>Der Text enthält ein unzulässiges Steuerzeichen.</source>
            <translation>Der Text enthält ein unzulässiges Steuerzeichen.</translation>
        </message>
        <message>
            <source>Nicht (mehr) vorhanden.</source>
            <translation>Nicht (mehr) vorhanden.</translation>
        </message>
    </context>
    <context>
        <name>WaitingListBadge</name>
        <message>
            <source>{0} wartend, {1} angeboten, davon {2} dringend</source>
            <extracomment>Notices come in bursts (a booking writes an entry, a slot and an appointment).</extracomment>
            <translation>{0} wartend, {1} angeboten, davon {2} dringend</translation>
        </message>
    </context>
    <context>
        <name>WaitingListOffer</name>
        <message>
            <source>Auf die Warteliste …</source>
            <extracomment>the entry the patient now waits with</extracomment>
            <translation>Auf die Warteliste …</translation>
        </message>
        <message>
            <source>Passt keine Zeit? Der Patient wartet auf einen frei werdenden Termin.</source>
            <translation>Passt keine Zeit? Der Patient wartet auf einen frei werdenden Termin.</translation>
        </message>
        <message>
            <source>✓ {0} steht auf der Warteliste ({1}).</source>
            <translation>✓ {0} steht auf der Warteliste ({1}).</translation>
        </message>
    </context>
    <context>
        <name>WaitingListPage</name>
        <message>
            <source>Warteliste</source>
            <extracomment>Who adds, changes and books entries (docs/waiting-list.md §6). Who sees the screen at all (billing reads only the counts). how long a confirmation or refusal stays above the table The status filter's choices: None = the open entries (the server's default).</extracomment>
            <translation>Warteliste</translation>
        </message>
        <message>
            <source>Neuer Eintrag …</source>
            <translation>Neuer Eintrag …</translation>
        </message>
        <message>
            <source>Einen Patienten auf die Warteliste setzen</source>
            <translation>Einen Patienten auf die Warteliste setzen</translation>
        </message>
        <message>
            <source>Bearbeiten …</source>
            <translation>Bearbeiten …</translation>
        </message>
        <message>
            <source>Angerufen</source>
            <translation>Angerufen</translation>
        </message>
        <message>
            <source>Markiert, dass dem Patienten ein Termin angeboten wurde (und zurück)</source>
            <translation>Markiert, dass dem Patienten ein Termin angeboten wurde (und zurück)</translation>
        </message>
        <message>
            <source>Entfernen …</source>
            <translation>Entfernen …</translation>
        </message>
        <message>
            <source>Wieder aufnehmen</source>
            <translation>Wieder aufnehmen</translation>
        </message>
        <message>
            <source>Anzahl der Einträge</source>
            <translation>Anzahl der Einträge</translation>
        </message>
        <message>
            <source>Name, Telefon oder Notiz …</source>
            <translation>Name, Telefon oder Notiz …</translation>
        </message>
        <message>
            <source>Einträge durchsuchen</source>
            <translation>Einträge durchsuchen</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Offen (wartend, angeboten)</source>
            <translation>Offen (wartend, angeboten)</translation>
        </message>
        <message>
            <source>Alle Status</source>
            <translation>Alle Status</translation>
        </message>
        <message>
            <source>Priorität</source>
            <translation>Priorität</translation>
        </message>
        <message>
            <source>Jede Priorität</source>
            <translation>Jede Priorität</translation>
        </message>
        <message>
            <source>Arzt</source>
            <translation>Arzt</translation>
        </message>
        <message>
            <source>Terminart</source>
            <translation>Terminart</translation>
        </message>
        <message>
            <source>Patient</source>
            <translation>Patient</translation>
        </message>
        <message>
            <source>Telefon</source>
            <translation>Telefon</translation>
        </message>
        <message>
            <source>Ärzte</source>
            <translation>Ärzte</translation>
        </message>
        <message>
            <source>Zeitraum</source>
            <translation>Zeitraum</translation>
        </message>
        <message>
            <source>Zeitfenster</source>
            <translation>Zeitfenster</translation>
        </message>
        <message>
            <source>Wartet seit</source>
            <translation>Wartet seit</translation>
        </message>
        <message>
            <source>Notiz</source>
            <translation>Notiz</translation>
        </message>
        <message>
            <source>Einträge der Warteliste</source>
            <translation>Einträge der Warteliste</translation>
        </message>
        <message>
            <source>Jeder Arzt</source>
            <translation>Jeder Arzt</translation>
        </message>
        <message>
            <source>Jede Terminart</source>
            <translation>Jede Terminart</translation>
        </message>
        <message>
            <source>jeder Arzt</source>
            <translation>jeder Arzt</translation>
        </message>
        <message>
            <source>{0} von {1} Einträgen</source>
            <translation>{0} von {1} Einträgen</translation>
        </message>
        <message>
            <source>1 Eintrag</source>
            <translation>1 Eintrag</translation>
        </message>
        <message>
            <source>{0} Einträge</source>
            <translation>{0} Einträge</translation>
        </message>
        <message>
            <source>Keine Einträge für diese Auswahl.</source>
            <translation>Keine Einträge für diese Auswahl.</translation>
        </message>
        <message>
            <source>Niemand wartet – die Warteliste ist leer.</source>
            <translation>Niemand wartet – die Warteliste ist leer.</translation>
        </message>
        <message>
            <source>Nicht mehr angeboten</source>
            <translation>Nicht mehr angeboten</translation>
        </message>
        <message>
            <source>Gespeichert: {0} wartet auf „{1}“.</source>
            <translation>Gespeichert: {0} wartet auf „{1}“.</translation>
        </message>
        <message>
            <source>Nicht geändert: {0}</source>
            <translation>Nicht geändert: {0}</translation>
        </message>
    </context>
    <context>
        <name>_AdminPage</name>
        <message>
            <source>Administrator-Konto</source>
            <translation>Administrator-Konto</translation>
        </message>
        <message>
            <source>Benutzername und Passwort für die Praxisverwaltung</source>
            <translation>Benutzername und Passwort für die Praxisverwaltung</translation>
        </message>
        <message>
            <source>Benutzername</source>
            <translation>Benutzername</translation>
        </message>
        <message>
            <source>Vorname</source>
            <translation>Vorname</translation>
        </message>
        <message>
            <source>Nachname</source>
            <translation>Nachname</translation>
        </message>
        <message>
            <source>E-Mail</source>
            <translation>E-Mail</translation>
        </message>
        <message>
            <source>Passwort</source>
            <translation>Passwort</translation>
        </message>
        <message>
            <source>Passwort wiederholen</source>
            <translation>Passwort wiederholen</translation>
        </message>
        <message>
            <source>&amp;Benutzername:</source>
            <translation>&amp;Benutzername:</translation>
        </message>
        <message>
            <source>&amp;Vorname:</source>
            <translation>&amp;Vorname:</translation>
        </message>
        <message>
            <source>&amp;Nachname:</source>
            <translation>&amp;Nachname:</translation>
        </message>
        <message>
            <source>&amp;E-Mail (optional):</source>
            <translation>&amp;E-Mail (optional):</translation>
        </message>
        <message>
            <source>&amp;Passwort:</source>
            <translation>&amp;Passwort:</translation>
        </message>
        <message>
            <source>Passwort &amp;wiederholen:</source>
            <translation>Passwort &amp;wiederholen:</translation>
        </message>
        <message>
            <source>Mindestens 8 Zeichen.</source>
            <translation>Mindestens 8 Zeichen.</translation>
        </message>
        <message>
            <source>Demodaten laden (Beispielpraxis zum Ausprobieren)</source>
            <translation>Demodaten laden (Beispielpraxis zum Ausprobieren)</translation>
        </message>
        <message>
            <source>Demodaten laden</source>
            <translation>Demodaten laden</translation>
        </message>
        <message>
            <source>Die Demo-Benutzer (Ärzte, MFA, Abrechnung) erhalten dasselbe Passwort wie dieses Administrator-Konto.</source>
            <translation>Die Demo-Benutzer (Ärzte, MFA, Abrechnung) erhalten dasselbe Passwort wie dieses Administrator-Konto.</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Bitte einen Benutzernamen eingeben.</source>
            <translation>Bitte einen Benutzernamen eingeben.</translation>
        </message>
        <message>
            <source>Das Passwort muss mindestens 8 Zeichen lang sein.</source>
            <translation>Das Passwort muss mindestens 8 Zeichen lang sein.</translation>
        </message>
        <message>
            <source>Die Passwörter stimmen nicht überein.</source>
            <translation>Die Passwörter stimmen nicht überein.</translation>
        </message>
    </context>
    <context>
        <name>_BarCanvas</name>
        <message>
            <source>Balkendiagramm</source>
            <translation>Balkendiagramm</translation>
        </message>
    </context>
    <context>
        <name>_WelcomePage</name>
        <message>
            <source>Willkommen bei PraxiApp</source>
            <extracomment>Loads the demo data with the given password for every demo user (blocking; in a worker).</extracomment>
            <translation>Willkommen bei PraxiApp</translation>
        </message>
        <message>
            <source>Einrichtung der Praxis auf diesem Rechner</source>
            <translation>Einrichtung der Praxis auf diesem Rechner</translation>
        </message>
        <message>
            <source>Die Datenbank ist bereit. Legen Sie jetzt das Konto des Praxis-Administrators an. Mit diesem Konto richten Sie anschließend Ärzte, Mitarbeitende, Sprechzeiten und Terminarten ein.

Es gibt keine voreingestellten Passwörter.</source>
            <translation>Die Datenbank ist bereit. Legen Sie jetzt das Konto des Praxis-Administrators an. Mit diesem Konto richten Sie anschließend Ärzte, Mitarbeitende, Sprechzeiten und Terminarten ein.

Es gibt keine voreingestellten Passwörter.</translation>
        </message>
    </context>
</TS>
