<#import "template.ftl" as layout>
<@layout.emailLayout>
${kcSanitize(msg("graphqlEmailUpdateNoticeBodyHtml", link, linkExpiration, realmName, linkExpirationFormatter(linkExpiration), newEmail, oldEmail))?no_esc}
</@layout.emailLayout>
