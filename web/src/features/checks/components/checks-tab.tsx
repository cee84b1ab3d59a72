import { AuthSection } from './auth-section';

/**
 * The Checks tab of the message view: one section per kind of check, each its own component in this
 * folder (Authentication now; HTML compatibility, links and spam score are to come beside it).
 */
export function ChecksTab({ id }: { id: string }) {
  return (
    <div className="checks-tab">
      <AuthSection id={id} />
    </div>
  );
}
