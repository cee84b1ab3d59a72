import { useChaos } from '../api/get-chaos';

/**
 * The chaos triggers for the panel (null while unknown or when the server has none) and whether any
 * is armed, for the sidebar's warning (null: no chaos controls to show).
 */
export function useChaosStatus(enabled: boolean) {
  const chaos = useChaos(enabled);
  const triggers = chaos.data ?? null;
  const armed = triggers ? Object.values(triggers).some((t) => t && t.Probability > 0) : null;
  return { triggers, armed };
}
