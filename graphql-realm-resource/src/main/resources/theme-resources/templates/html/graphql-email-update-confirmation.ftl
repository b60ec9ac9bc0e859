<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("graphqlEmailUpdateConfirmationBodyHtml", link, linkExpiration, realmName, linkExpirationFormatter(linkExpiration), newEmail, oldEmail))?no_esc}
</@layout.emailLayout>
