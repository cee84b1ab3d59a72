// cypress/support/e2e.ts has: import 'cypress-mailpit';
describe('sign-up', () => {
  beforeEach(() => {
    cy.mailpitDeleteAllEmails();
  });

  it('mails a confirmation link', () => {
    cy.visit('/signup');
    cy.get('input[name=email]').type('alice@example.test');
    cy.get('form').submit();

    cy.mailpitHasEmailsByTo('alice@example.test');
    cy.mailpitGetMail().then((message) => {
      expect(message.Subject).to.equal('Confirm your address');
      const link = /href="([^"]+\/confirm[^"]*)"/.exec(message.HTML)![1]!;
      cy.visit(link.replace(/&amp;/g, '&'));
    });
    cy.contains('Address confirmed');
  });
});
