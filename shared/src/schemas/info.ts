import { Type, type Static } from 'typebox';

/** Mailpit's `GET /api/v1/info`. */
export const InfoSchema = Type.Object({
  Version: Type.String(),
  LatestVersion: Type.String({ description: 'Always empty: Pigeonhole never calls home' }),
  Database: Type.String({ description: 'Empty: messages live in memory' }),
  DatabaseSize: Type.Integer({ description: 'Raw bytes stored' }),
  Messages: Type.Integer(),
  Unread: Type.Integer(),
  Tags: Type.Record(Type.String(), Type.Integer(), { description: 'Tag name to message count' }),
  RuntimeStats: Type.Object({
    Uptime: Type.Integer({ description: 'Seconds' }),
    Memory: Type.Integer({ description: 'Resident memory in bytes' }),
    MessagesDeleted: Type.Integer(),
    SMTPAccepted: Type.Integer(),
    SMTPAcceptedSize: Type.Integer(),
    SMTPRejected: Type.Integer(),
    SMTPIgnored: Type.Integer(),
  }),
});
export type Info = Static<typeof InfoSchema>;

/** Mailpit's `GET /api/v1/webui`: what the web UI should offer. */
export const WebUiConfigSchema = Type.Object({
  Label: Type.String(),
  MessageRelay: Type.Object({
    Enabled: Type.Boolean(),
    SMTPServer: Type.String(),
    ReturnPath: Type.String(),
    AllowedRecipients: Type.String(),
    BlockedRecipients: Type.String(),
    OverrideFrom: Type.String(),
    PreserveMessageIDs: Type.Boolean(),
    RecipientAllowlist: Type.String(),
  }),
  SpamAssassin: Type.Boolean(),
  ChaosEnabled: Type.Boolean(),
  DuplicatesIgnored: Type.Boolean(),
  HideDeleteAllButton: Type.Boolean(),
});
export type WebUiConfig = Static<typeof WebUiConfigSchema>;
