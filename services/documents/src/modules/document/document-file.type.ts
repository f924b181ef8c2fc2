import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { StoredFile } from '../file/stored-file.entity';

const PREVIEWABLE = /^(application\/pdf|image\/(png|jpeg|gif|webp))$/;

/** A file of a document version, as clients see it. Download and preview go through the gateway's REST route. */
@ObjectType({ description: 'A file of a document version' })
export class DocumentFile {
  @Field(() => ID, { description: 'The stored file id (download: GET /rest/documents/files/{id}, preview: ?inline=1)' }) id!: string;
  @Field() name!: string;
  @Field(() => SafeIntResolver, { description: 'Size in bytes' }) size!: number;
  @Field() contentType!: string;
  @Field({ description: 'SHA-256 of the content, hex' }) sha256!: string;
  @Field({ description: 'Path of the download on the gateway' }) url!: string;
  @Field({ description: 'Can be shown in the browser (PDF, images)' }) previewable!: boolean;

  static of(file: StoredFile): DocumentFile {
    return Object.assign(new DocumentFile(), {
      id: file.id,
      name: file.name,
      size: file.size,
      contentType: file.contentType,
      sha256: file.sha256,
      url: `/rest/documents/files/${file.id}`,
      previewable: PREVIEWABLE.test(file.contentType),
    });
  }
}
