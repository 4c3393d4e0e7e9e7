import type { Lang } from './format.js';

/** The strings of two-factor sign-in: the code page at sign-in and the account's setup pages. */
export interface TwoFactorMessages {
  title: string;
  /** The account page's card. */
  isOn: string;
  isOff: string;
  manage: string;
  setUp: string;
  adminRequired: string;
  intro: string;
  scan: string;
  orType: string;
  qrLabel: string;
  secretLabel: string;
  confirmLabel: string;
  confirmHint: string;
  confirmButton: string;
  wrongCode: string;
  enabled: string;
  recoveryTitle: string;
  recoveryIntro: string;
  recoveryDone: string;
  recoveryLeft: (count: number) => string;
  disableTitle: string;
  disableIntro: string;
  disableButton: string;
  disabled: string;
  /** New recovery codes in place of the old ones. */
  regenerateTitle: string;
  regenerateIntro: string;
  regenerateButton: string;
  regenerated: string;
  /** Sign-in, second step. */
  codeTitle: string;
  codeIntro: string;
  codeLabel: string;
  codeHint: string;
  codeButton: string;
  codeExpired: string;
  backToLogin: string;
}

const it: TwoFactorMessages = {
  title: 'Accesso in due passaggi',
  isOn: "Attivo: all'accesso chiediamo anche un codice dall'app di autenticazione.",
  isOff: "Non attivo. Con l'accesso in due passaggi la sola password non basta per entrare.",
  manage: 'Gestisci',
  setUp: 'Attiva',
  adminRequired:
    "Gli amministratori devono attivare l'accesso in due passaggi prima di usare le pagine di amministrazione.",
  intro:
    "Usa un'app di autenticazione (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…): all'accesso, dopo la password, ti chiederemo il codice di 6 cifre che mostra.",
  scan: "1. Inquadra il codice QR con l'app.",
  orType: '…oppure inserisci a mano questa chiave:',
  qrLabel: "Codice QR per l'app di autenticazione",
  secretLabel: 'Chiave segreta',
  confirmLabel: "2. Codice mostrato dall'app",
  confirmHint: '6 cifre, senza spazi.',
  confirmButton: 'Conferma e attiva',
  wrongCode: 'Il codice non è corretto o è già stato usato. Attendi il prossimo e riprova.',
  enabled: 'Accesso in due passaggi attivato.',
  recoveryTitle: 'Codici di recupero',
  recoveryIntro:
    "Conserva questi 10 codici in un posto sicuro: ognuno vale una volta sola al posto del codice dell'app, se perdi il telefono. Non li mostreremo più.",
  recoveryDone: 'Li ho salvati',
  recoveryLeft: (count: number) =>
    count === 1 ? 'Ti resta 1 codice di recupero.' : `Ti restano ${count} codici di recupero.`,
  disableTitle: "Disattiva l'accesso in due passaggi",
  disableIntro: "Servono la password e un codice dell'app (o un codice di recupero).",
  disableButton: 'Disattiva',
  disabled: 'Accesso in due passaggi disattivato.',
  regenerateTitle: 'Nuovi codici di recupero',
  regenerateIntro:
    "Persi o quasi finiti? Con la password e un codice dell'app ne generiamo 10 nuovi: quelli vecchi smettono subito di funzionare.",
  regenerateButton: 'Genera nuovi codici',
  regenerated: 'Nuovi codici di recupero generati: quelli vecchi non valgono più.',
  codeTitle: 'Codice di verifica',
  codeIntro: "Apri l'app di autenticazione e inserisci il codice di 6 cifre per questo account.",
  codeLabel: 'Codice',
  codeHint: "Il codice dell'app, oppure uno dei codici di recupero.",
  codeButton: 'Verifica',
  codeExpired: 'Troppo tempo dal passaggio precedente: accedi di nuovo con email e password.',
  backToLogin: "Torna all'accesso",
};

const en: TwoFactorMessages = {
  title: 'Two-factor sign-in',
  isOn: 'On: signing in also asks for a code from your authenticator app.',
  isOff: 'Off. With two-factor sign-in, a password alone is not enough to get in.',
  manage: 'Manage',
  setUp: 'Turn on',
  adminRequired: 'Admins must turn on two-factor sign-in before using the admin pages.',
  intro:
    'Use an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…): after your password, signing in will ask for the 6-digit code it shows.',
  scan: '1. Scan the QR code with the app.',
  orType: '…or type this key into it:',
  qrLabel: 'QR code for the authenticator app',
  secretLabel: 'Secret key',
  confirmLabel: '2. Code shown by the app',
  confirmHint: '6 digits, no spaces.',
  confirmButton: 'Confirm and turn on',
  wrongCode: 'The code is wrong or was already used. Wait for the next one and try again.',
  enabled: 'Two-factor sign-in is on.',
  recoveryTitle: 'Recovery codes',
  recoveryIntro:
    'Keep these 10 codes somewhere safe: each works once instead of an app code if you lose your phone. They will not be shown again.',
  recoveryDone: 'I have saved them',
  recoveryLeft: (count: number) =>
    count === 1 ? 'You have 1 recovery code left.' : `You have ${count} recovery codes left.`,
  disableTitle: 'Turn off two-factor sign-in',
  disableIntro: 'Needs your password and an app code (or a recovery code).',
  disableButton: 'Turn off',
  disabled: 'Two-factor sign-in is off.',
  regenerateTitle: 'New recovery codes',
  regenerateIntro:
    'Lost them, or nearly used up? With your password and an app code we make 10 new ones: the old ones stop working at once.',
  regenerateButton: 'Make new codes',
  regenerated: 'New recovery codes made: the old ones no longer work.',
  codeTitle: 'Verification code',
  codeIntro: 'Open your authenticator app and enter the 6-digit code for this account.',
  codeLabel: 'Code',
  codeHint: 'The app code, or one of your recovery codes.',
  codeButton: 'Verify',
  codeExpired: 'Too long since the first step: sign in again with your email and password.',
  backToLogin: 'Back to sign-in',
};

export function twoFactorMessages(lang: Lang): TwoFactorMessages {
  return lang === 'en' ? en : it;
}
