export { initials, PresenceIndicator, type PresenceIndicatorProps } from './presence-indicator.js';
export {
  type UseCollabClientOptions,
  type UseWebSocketResult,
  useClientState,
  useCollabClient,
  useWebSocket,
} from './use-collab-client.js';
export { type CollaborativeEditor, useCollaborativeEditor } from './use-collaborative-editor.js';
export { type Presence, type RemoteCursor, usePresence } from './use-presence.js';
