export default { fetch: () => new Response('placeholder') } satisfies ExportedHandler
export class InstallationKeeper {}
export class ProjectSession {}
export class RenderJob {}
