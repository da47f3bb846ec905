import type { LinliModule } from '../../module';
import { uploadRoutes } from './routes';

/**
 * Uploads: images re-encoded on arrival, kept in a store (local disk or S3), owned by one person,
 * attached once to the thing they illustrate, and shown through short-lived signed URLs. Other
 * modules attach and show images only through the functions exported here.
 */
export const uploadsModule: LinliModule = {
  name: 'uploads',
  routes: uploadRoutes(),
};

export {
  type Attachment,
  attachedImages,
  attachUploads,
  type PublicShownCheck,
  registerPublicShownCheck,
  storeAttachedImage,
  type UploadDeps,
  uploadBytes,
} from './service';
export { localStore, type ObjectStore, s3Store, storeFromConfig } from './store';
export { runWithUploadUrls, type UploadUrls } from './urls';
export { uploadRoutes };
