import { AuthSection } from './auth-section';
import { HtmlSection } from './html-section';
import { LinksSection } from './links-section';
import { SpamSection } from './spam-section';
import { UnsubscribeSection } from './unsubscribe-section';

/**
 * The Checks tab of the message view: one section per kind of check, each its own component in
 * this folder: HTML compatibility, links, spam score, List-Unsubscribe and authentication.
 */
export function ChecksTab({ id }: { id: string }) {
  return (
    <div className="checks-tab">
      <HtmlSection id={id} />
      <LinksSection id={id} />
      <SpamSection id={id} />
      <UnsubscribeSection id={id} />
      <AuthSection id={id} />
    </div>
  );
}
